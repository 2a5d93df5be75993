//! Phone numbers for Format Phone Number, Format Phone Number (E164) and Get Customer Phone
//! Number.
//!
//! The reference is what the CTI adapter computes in the browser with libphonenumber-js:
//! `parsePhoneNumberFromString(number, country)`, then `.formatNational()` or `.number`, and
//! the input unchanged when that parse gives nothing. This module reads the text the way
//! libphonenumber-js does (where the number starts and ends, its extension, which characters
//! are digits), and leaves country calling codes, national prefixes, validity and formats to
//! Google's libphonenumber metadata through the `rlibphonenumber` crate.
//!
//! Deliberate differences: libphonenumber-js reads neither a full-width plus sign (`＋５０１…`,
//! Belize, is a national number to it: `+1501…` in Arkansas with US) nor keypad letters
//! (`1-800-FLOWERS` is `+11800` to it). A full-width plus sign is read as a plus whenever that
//! gives a valid number, as Google's libphonenumber reads it; text with letters is read as
//! Google reads it where the adapter's reading is not a valid number and Google's is (letters
//! after a number may be noise as well as a vanity spelling). `conformance/phone` measures all
//! of this against node.

use std::sync::LazyLock;

use regex::Regex;
use rlibphonenumber::{
    CountryCodeSource, PHONE_NUMBER_UTIL, PhoneNumber, PhoneNumberFormat, Region,
};

/// How to write a number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// The national format of the number's country (`090-1234-5678`).
    National,
    /// E.164 (`+819012345678`).
    E164,
}

/// Formats `number`, read as a number of `country` (an ISO 3166 alpha-2 code, upper case as
/// the adapter requires) unless it is international. An unparsable number is returned
/// unchanged, as the adapter does; so is a national number with an unknown country (`ZZ`,
/// `us`), which the adapter reads with no default country.
pub fn format(number: &str, country: &str, format: Format) -> String {
    let region = default_region(country);
    match read(number, region) {
        Some(parsed) => match format {
            Format::National => national(&parsed, region),
            Format::E164 => PHONE_NUMBER_UTIL
                .format(&parsed, PhoneNumberFormat::E164)
                .into_owned(),
        },
        None => number.to_owned(),
    }
}

/// The number of a softphone endpoint: `sip:+15551234567@host` → `+15551234567`; any other
/// address is returned as it is.
pub fn strip_sip(endpoint: &str) -> &str {
    match endpoint.strip_prefix("sip:") {
        Some(rest) => rest.split_once('@').map_or(rest, |(number, _)| number),
        None => endpoint,
    }
}

/// Whether two phone numbers written differently are the same number, as a search by phone
/// matches them: the same digits, or one the other's national tail (`+81 90-1234-5678` and
/// `090 1234 5678`), at least seven of them. The sandbox's org and the Salesforce backend's
/// filter over SOSL phone matches both use it, so they agree on which record a number finds.
pub fn same_number(a: &str, b: &str) -> bool {
    let (a, b) = (ascii_digits(a), ascii_digits(b));
    let (a, b) = (a.trim_start_matches('0'), b.trim_start_matches('0'));
    if a.len() < 7 || b.len() < 7 {
        return false;
    }
    a == b || a.ends_with(b) || b.ends_with(a)
}

/// Whether a search text is a phone number: seven digits or more, and nothing else but spaces
/// and `+-().`.
pub fn looks_like_number(text: &str) -> bool {
    ascii_digits(text).len() >= 7
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || " +-().".contains(c))
}

/// The default country as libphonenumber-js takes it: a supported code exactly as written,
/// else none.
fn default_region(country: &str) -> Option<Region> {
    if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    let region = country.parse::<Region>().ok()?;
    PHONE_NUMBER_UTIL
        .get_country_code_for_region(region)
        .map(|_| region)
}

/// The number `text` is: libphonenumber-js's reading, or Google's where only that one is
/// valid or the text has a full-width plus sign.
fn read(text: &str, region: Option<Region>) -> Option<PhoneNumber> {
    let google = || google_reading(text, region).filter(PhoneNumber::is_valid);
    if text.contains('\u{FF0B}')
        && let Some(number) = google()
    {
        return Some(number);
    }
    let adapter = adapter_reading(text, region);
    if adapter.as_ref().is_some_and(PhoneNumber::is_valid) {
        return adapter;
    }
    google().or(adapter)
}

// ---------------------------------------------------------------------------------------------
// Reading text as libphonenumber-js does (its `parse.js`, `constants.js`, `isViablePhoneNumber.js`,
// `createExtensionPattern.js`, `extractPhoneContext.js`).

/// Digits: ASCII, full-width, Arabic-Indic, Extended Arabic-Indic.
const DIGITS: &str = r"0-9\x{FF10}-\x{FF19}\x{0660}-\x{0669}\x{06F0}-\x{06F9}";
/// Dashes, slashes, dots, white space, brackets, tildes.
const PUNCTUATION: &str = concat!(
    r"\-\x{2010}-\x{2015}\x{2212}\x{30FC}\x{FF0D}",
    r"\x{FF0F}/",
    r"\x{FF0E}.",
    r" \x{00A0}\x{00AD}\x{200B}\x{2060}\x{3000}",
    r"()\x{FF08}\x{FF09}\x{FF3B}\x{FF3D}\[\]",
    r"~\x{2053}\x{223C}\x{FF5E}",
);
const PLUS_CHARS: &str = r"+\x{FF0B}";
/// libphonenumber-js gives up on longer input (counted in UTF-16 units).
const MAX_INPUT_LENGTH: usize = 250;
/// The shortest and longest national significant numbers it accepts.
const NSN_LENGTHS: std::ops::RangeInclusive<usize> = 2..=17;

/// An extension at the end of a number, its digits in the first group that matched.
fn extension_pattern() -> String {
    let digits = |max: u8| format!("([{DIGITS}]{{1,{max}}})");
    let separators = r"[ \x{00A0}\t,]*";
    let after_label = r"[:\.\x{FF0E}]?[ \x{00A0}\t,\-]*";
    let explicit = r"(?:e?xt(?:ensi(?:o\x{0301}?|\x{00F3}))?n?|\x{FF45}?\x{FF58}\x{FF54}\x{FF4E}?|\x{0434}\x{043E}\x{0431}|anexo)";
    let ambiguous = r"(?:[x\x{FF58}#\x{FF03}~\x{FF5E}]|int|\x{FF49}\x{FF4E}\x{FF54})";
    let no_comma = r"[ \x{00A0}\t]*";
    [
        format!(";ext={}", digits(20)),
        format!("{separators}{explicit}{after_label}{}#?", digits(20)),
        format!("{separators}{ambiguous}{after_label}{}#?", digits(9)),
        format!("[- ]+{}#", digits(6)),
        format!("{no_comma}(?:,{{2}}|;){after_label}{}#?", digits(15)),
        format!("{no_comma}(?:,)+{after_label}{}#?", digits(9)),
    ]
    .join("|")
}

static START: LazyLock<Regex> = LazyLock::new(|| regex(&format!("[{PLUS_CHARS}{DIGITS}]")));
static TRAILING: LazyLock<Regex> = LazyLock::new(|| regex(&format!("[^{DIGITS}#]+$")));
static VIABLE: LazyLock<Regex> = LazyLock::new(|| {
    let number =
        format!("[{PLUS_CHARS}]?(?:[{PUNCTUATION}]*[{DIGITS}]){{3,}}[{PUNCTUATION}{DIGITS}]*");
    regex(&format!(
        "(?i)^[{DIGITS}]{{2}}$|^{number}(?:{})?$",
        extension_pattern()
    ))
});
static EXTENSION: LazyLock<Regex> =
    LazyLock::new(|| regex(&format!("(?i)(?:{})$", extension_pattern())));
static GLOBAL_CONTEXT: LazyLock<Regex> = LazyLock::new(|| {
    let digit = format!(r"(?:[{DIGITS}]|[\-\.\(\)]?)");
    regex(&format!(r"^\+{digit}*[{DIGITS}]{digit}*$"))
});
static DOMAIN_CONTEXT: LazyLock<Regex> = LazyLock::new(|| {
    let label = format!(r"[{DIGITS}]+(?:\-*[{DIGITS}])*");
    let top = format!(r"[a-zA-Z]+(?:\-*[{DIGITS}])*");
    regex(&format!(r"^(?:{label}\.)*{top}\.?$"))
});

fn regex(pattern: &str) -> Regex {
    Regex::new(pattern).expect("a phone pattern compiles")
}

/// `text` cut down to a number as libphonenumber-js does before looking at any metadata:
/// `+` (or nothing) and ASCII digits, and the extension. None where it finds no number.
fn extract(text: &str) -> Option<(String, Option<String>)> {
    let number = match phone_context(text)? {
        // `tel:` URIs with a phone-context: the context (when global) and the local part.
        Some(context) => {
            let start = text.find("tel:").map_or(0, |i| i + "tel:".len());
            let end = text.find(";phone-context=").unwrap_or(text.len());
            let mut number = String::new();
            if context.starts_with('+') {
                number.push_str(context);
            }
            number.push_str(text.get(start..end.max(start)).unwrap_or(""));
            number
        }
        None => {
            if text.encode_utf16().count() > MAX_INPUT_LENGTH {
                return None;
            }
            let start = START.find(text)?.start();
            TRAILING.replace(&text[start..], "").into_owned()
        }
    };
    let number = match number.find(";isub=") {
        Some(i) if i > 0 => &number[..i],
        _ => &number[..],
    };
    if number.encode_utf16().count() < 2 || !VIABLE.is_match(number) {
        return None;
    }
    let (number, ext) = match EXTENSION.captures(number) {
        Some(found) => {
            let ext = found
                .iter()
                .skip(1)
                .flatten()
                .next()
                .map(|m| ascii_digits(m.as_str()));
            (
                &number[..found.get(0).map_or(number.len(), |m| m.start())],
                ext,
            )
        }
        None => (number, None),
    };
    let mut out = String::with_capacity(number.len());
    for c in number.chars() {
        if c == '+' && out.is_empty() {
            out.push('+');
        } else if let Some(d) = digit(c) {
            out.push(d);
        }
    }
    Some((out, ext))
}

/// The phone-context of an RFC 3966 URI: Some(None) when there is none, None when it is
/// malformed (the adapter then reads no number).
fn phone_context(text: &str) -> Option<Option<&str>> {
    const KEY: &str = ";phone-context=";
    let Some(i) = text.find(KEY) else {
        return Some(None);
    };
    let rest = &text[i + KEY.len()..];
    let context = rest.split(';').next().unwrap_or("");
    (!context.is_empty() && (GLOBAL_CONTEXT.is_match(context) || DOMAIN_CONTEXT.is_match(context)))
        .then_some(Some(context))
}

/// A digit of any script libphonenumber-js reads, as ASCII.
fn digit(c: char) -> Option<char> {
    let zero = match c {
        '0'..='9' => '0',
        '\u{FF10}'..='\u{FF19}' => '\u{FF10}',
        '\u{0660}'..='\u{0669}' => '\u{0660}',
        '\u{06F0}'..='\u{06F9}' => '\u{06F0}',
        _ => return None,
    };
    char::from_digit(c as u32 - zero as u32, 10)
}

fn ascii_digits(text: &str) -> String {
    text.chars().filter_map(digit).collect()
}

/// libphonenumber-js's reading: the extracted digits through libphonenumber's metadata.
fn adapter_reading(text: &str, region: Option<Region>) -> Option<PhoneNumber> {
    let (number, ext) = extract(text)?;
    let mut parsed = PHONE_NUMBER_UTIL
        .parse_and_keep_raw_input(&number, region)
        .ok()?;
    let nsn = rlibphonenumber::get_national_significant_number_owned(&parsed);
    if !NSN_LENGTHS.contains(&nsn.len()) {
        return None;
    }
    parsed.extension = ext;
    Some(parsed)
}

// ---------------------------------------------------------------------------------------------
// Google's reading, for the text libphonenumber-js misreads.

/// An extension label with no digits after it, at the end (`… ext. `): libphonenumber-js
/// ignores it, Google's libphonenumber would read its letters as keypad digits (`398`).
static DANGLING_EXTENSION: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?i)(^|[^\p{L}])[ \x{00A0}\t,;]*(?:e?xt(?:ensi(?:o\x{0301}?|\x{00F3}))?n?|\x{FF45}?\x{FF58}\x{FF54}\x{FF4E}?|\x{0434}\x{043E}\x{0431}|anexo|[x\x{FF58}#\x{FF03}~\x{FF5E}]|int|ext=)[:\.\x{FF0E}=]?[ \x{00A0}\t,\-]*$",
    )
});

/// Google's libphonenumber's reading, where the text has what libphonenumber-js does not read:
/// letters (keypad letters when there are three or more) or a full-width plus sign.
fn google_reading(text: &str, region: Option<Region>) -> Option<PhoneNumber> {
    let letters = text.chars().filter(char::is_ascii_alphabetic).count();
    if letters < 3 && !text.contains('\u{FF0B}') {
        return None;
    }
    let text = DANGLING_EXTENSION.replace(text, "$1");
    PHONE_NUMBER_UTIL
        .parse_and_keep_raw_input(&text, region)
        .ok()
}

// ---------------------------------------------------------------------------------------------
// Writing.

/// The national format as libphonenumber-js writes it. It knows only the formats that are also
/// used internationally, so a number that only a national-only format fits (a local number) is
/// written as bare digits; its extension follows the label of the number's region (` ext. `
/// unless the region has its own).
fn national(parsed: &PhoneNumber, default: Option<Region>) -> String {
    let mut bare = parsed.clone();
    bare.extension = None;
    let nsn = rlibphonenumber::get_national_significant_number_owned(&bare);
    let international = PHONE_NUMBER_UTIL.format(&bare, PhoneNumberFormat::International);
    let plain = PHONE_NUMBER_UTIL.format(&bare, PhoneNumberFormat::National);
    // The international format is the national significant number as it is either when no
    // shared format fits or when a one-group one does; a one-group national format is digits
    // alone (with any national prefix), so then the national format stands.
    let unformatted = international == format!("+{} {nsn}", bare.country_code);
    let mut out = if unformatted && !plain.bytes().all(|b| b.is_ascii_digit()) {
        nsn
    } else {
        plain.to_string()
    };
    if let Some(ext) = parsed.extension.as_deref().filter(|e| !e.is_empty()) {
        // Google's libphonenumber labels extensions by the calling code's main region,
        // libphonenumber-js by the number's region: the one it is valid in, else the default
        // country when the number was read as a national one.
        let main = PHONE_NUMBER_UTIL.get_region_for_country_code(parsed.country_code);
        let from_default = parsed.country_code_source() == CountryCodeSource::FromDefaultCountry;
        let own = PHONE_NUMBER_UTIL
            .get_region_for_number(parsed)
            .or(default.filter(|_| from_default))
            .or(main);
        let with_ext = PHONE_NUMBER_UTIL.format(parsed, PhoneNumberFormat::National);
        match with_ext.strip_prefix(plain.as_ref()) {
            Some(label_and_ext) if own == main => out.push_str(label_and_ext),
            _ => {
                out.push_str(" ext. ");
                out.push_str(ext);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_match_across_formats() {
        assert!(same_number("+81 90-1234-5678", "090-1234-5678"));
        assert!(same_number("+15551234567", "(555) 123-4567"));
        assert!(!same_number("+15551234567", "+15551234568"));
        assert!(!same_number("123", "123"));
    }

    /// `(input, country, national, e164)`: what the blocks return.
    fn check(cases: &[(&str, &str, &str, &str)]) {
        for &(number, country, national, e164) in cases {
            assert_eq!(
                format(number, country, Format::National),
                national,
                "National: {number:?} {country}"
            );
            assert_eq!(
                format(number, country, Format::E164),
                e164,
                "E164: {number:?} {country}"
            );
        }
    }

    #[test]
    fn formats_national_and_e164() {
        check(&[
            ("+1 415-555-2671", "US", "(415) 555-2671", "+14155552671"),
            ("4155552671", "US", "(415) 555-2671", "+14155552671"),
            ("090-1234-5678", "JP", "090-1234-5678", "+819012345678"),
            ("+819012345678", "US", "090-1234-5678", "+819012345678"),
            ("020 7946 0018", "GB", "020 7946 0018", "+442079460018"),
            ("+44 20 7946 0018", "GB", "020 7946 0018", "+442079460018"),
        ]);
    }

    #[test]
    fn unparsable_input_is_returned_unchanged() {
        for (number, country) in [
            ("not a number", "US"),
            ("", "US"),
            ("12", "ZZ"),
            ("🙂", "JP"),
            ("+1 800 MIX 1234 5", "US"),
        ] {
            assert_eq!(format(number, country, Format::E164), number);
            assert_eq!(format(number, country, Format::National), number);
        }
    }

    /// Issue 12, item 15: the default country's national prefix was stripped from numbers that
    /// carry their own country code.
    #[test]
    fn an_international_number_keeps_its_digits_whatever_the_default_country() {
        check(&[
            ("+44 121 234 5678", "US", "0121 234 5678", "+441212345678"),
            (
                "+7 812 123 45 67",
                "RU",
                "8 (812) 123-45-67",
                "+78121234567",
            ),
            ("+7 800 123 45 67", "", "8 (800) 123-45-67", "+78001234567"),
            ("+370 800 12 345", "LT", "0 800 12 345", "+37080012345"),
            (
                "011 44 121 234 5678",
                "US",
                "0121 234 5678",
                "+441212345678",
            ),
        ]);
    }

    /// A national prefix is stripped only where the number is then valid: `808` is an area
    /// code of Russia, not `8` and `08`.
    #[test]
    fn a_national_prefix_is_checked_before_it_is_stripped() {
        check(&[
            ("8081234567", "RU", "8 (808) 123-45-67", "+78081234567"),
            (
                "8 (812) 123-45-67",
                "RU",
                "8 (812) 123-45-67",
                "+78121234567",
            ),
        ]);
    }

    /// Inputs both JavaScript libraries format, which came back unchanged.
    #[test]
    fn the_calling_code_may_run_into_the_number() {
        check(&[("+1415-555-2671", "US", "(415) 555-2671", "+14155552671")]);
    }

    #[test]
    fn extensions_in_every_notation() {
        let national = "(415) 555-2671 ext. 123";
        check(&[
            ("+1 415 555 2671;ext=123", "US", national, "+14155552671"),
            ("tel:+1-415-555-2671;ext=123", "", national, "+14155552671"),
            ("+1 415 555 2671 #123", "US", national, "+14155552671"),
            ("+1 415-555-2671 123#", "US", national, "+14155552671"),
            ("(415) 555-2671 ext. 123", "US", national, "+14155552671"),
            ("(415) 555-2671 x123", "US", national, "+14155552671"),
            // The label of the number's region, as libphonenumber-js writes it.
            (
                "+44 20 7946 0018 ext. 12",
                "",
                "020 7946 0018 x12",
                "+442079460018",
            ),
            (
                "+44 7781 123456 ext. 12",
                "GG",
                "07781 123456 ext. 12",
                "+447781123456",
            ),
        ]);
    }

    #[test]
    fn full_width_and_arabic_digits() {
        check(&[
            (
                "+１ ４１５ ５５５ ２６７１",
                "",
                "(415) 555-2671",
                "+14155552671",
            ),
            (
                "０２０ ７９４６ ００１８",
                "GB",
                "020 7946 0018",
                "+442079460018",
            ),
            (
                "\u{664}\u{661}\u{665}\u{665}\u{665}\u{665}\u{662}\u{666}\u{667}\u{661}",
                "US",
                "(415) 555-2671",
                "+14155552671",
            ),
            (
                "\u{6F4}\u{6F1}\u{6F5}\u{6F5}\u{6F5}\u{6F5}\u{6F2}\u{6F6}\u{6F7}\u{6F1}",
                "US",
                "(415) 555-2671",
                "+14155552671",
            ),
        ]);
    }

    /// libphonenumber-js reads `＋` as no plus at all: `+1441212345678` (not a valid number) and
    /// `+15016221234` (a valid number in Arkansas) here.
    #[test]
    fn a_full_width_plus_sign_is_a_plus_sign() {
        check(&[
            (
                "＋４４ １２１ ２３４ ５６７８",
                "US",
                "0121 234 5678",
                "+441212345678",
            ),
            ("＋５０１ ６２２ １２３４", "US", "622-1234", "+5016221234"),
        ]);
    }

    /// A label with no extension after it is not part of the number: its letters are not
    /// keypad digits (`+4930123456398` would be another valid German number).
    #[test]
    fn a_dangling_extension_label_is_ignored() {
        check(&[
            (
                "(415) 555-2671 ext. ",
                "US",
                "(415) 555-2671",
                "+14155552671",
            ),
            ("+49 30 123456 ext. ", "", "030 123456", "+4930123456"),
            ("+49 30 123456 ext.", "DE", "030 123456", "+4930123456"),
            ("+1 415 555 2671;ext=", "", "(415) 555-2671", "+14155552671"),
        ]);
    }

    /// Keypad letters: libphonenumber-js stops at the first letter (`+11800`), Google's
    /// libphonenumber reads them; a final `X` is a letter, not an extension mark.
    #[test]
    fn vanity_numbers_are_read_from_the_keypad() {
        check(&[
            ("1-800-FLOWERS", "US", "(800) 356-9377", "+18003569377"),
            ("1-800-GO-FEDEX", "US", "(800) 463-3339", "+18004633339"),
            ("+1 800 FLOWERX", "", "(800) 356-9379", "+18003569379"),
            // Letters after a valid number are ignored, as libphonenumber-js does.
            ("+1 415 555 2671 abc", "", "(415) 555-2671", "+14155552671"),
        ]);
    }

    /// libphonenumber-js takes a default country only as an upper-case supported code.
    #[test]
    fn an_unknown_default_country_is_none() {
        check(&[
            ("4155552671", "us", "4155552671", "4155552671"),
            ("4155552671", "ZZ", "4155552671", "4155552671"),
            ("4155552671", "001", "4155552671", "4155552671"),
            ("+14155552671", "us", "(415) 555-2671", "+14155552671"),
        ]);
    }

    /// libphonenumber-js knows only the formats also used internationally.
    #[test]
    fn national_format_as_libphonenumber_js_writes_it() {
        check(&[
            // A local number: only a national-only format fits it.
            ("560 1234", "US", "5601234", "+15601234"),
            // A one-group format keeps its national prefix.
            ("+98 9601", "", "09601", "+989601"),
        ]);
    }

    /// Metadata newer than the `phonenumber` crate's (libphonenumber 9.0.33): the Faroe
    /// Islands' numbers are written in pairs.
    #[test]
    fn current_metadata() {
        check(&[("+298 21 12 34", "", "21 12 34", "+298211234")]);
    }

    #[test]
    fn sip_endpoints_are_stripped() {
        assert_eq!(strip_sip("sip:+15551234567@10.0.0.1"), "+15551234567");
        assert_eq!(strip_sip("sip:+15551234567"), "+15551234567");
        assert_eq!(strip_sip("+15551234567"), "+15551234567");
    }
}
