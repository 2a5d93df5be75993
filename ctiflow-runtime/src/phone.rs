//! Phone numbers for Format Phone Number, Format Phone Number (E164) and Get Customer Phone
//! Number, through libphonenumber's metadata (the `phonenumber` crate).

use phonenumber::{Mode, country};

/// How to write a number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// The national format of the number's country (`090-1234-5678`).
    National,
    /// E.164 (`+819012345678`).
    E164,
}

/// Formats `number`, read as a number of `country` (ISO 3166 alpha-2, any case) unless it is
/// international. An unparsable number, or an unknown country, returns `number` unchanged, as
/// the adapter does.
pub fn format(number: &str, country: &str, format: Format) -> String {
    let country = country
        .trim()
        .to_ascii_uppercase()
        .parse::<country::Id>()
        .ok();
    match phonenumber::parse(country, number) {
        Ok(parsed) => parsed
            .format()
            .mode(match format {
                Format::National => Mode::National,
                Format::E164 => Mode::E164,
            })
            .to_string(),
        Err(_) => number.to_owned(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_national_and_e164() {
        let cases = [
            ("+1 415-555-2671", "US", Format::National, "(415) 555-2671"),
            ("4155552671", "us", Format::E164, "+14155552671"),
            ("090-1234-5678", "JP", Format::E164, "+819012345678"),
            ("+819012345678", "US", Format::National, "090-1234-5678"),
            ("020 7946 0018", "GB", Format::E164, "+442079460018"),
            ("+44 20 7946 0018", "GB", Format::National, "020 7946 0018"),
        ];
        for (number, country, mode, expected) in cases {
            assert_eq!(
                format(number, country, mode),
                expected,
                "{number} {country} {mode:?}"
            );
        }
    }

    #[test]
    fn unparsable_input_is_returned_unchanged() {
        for (number, country) in [
            ("not a number", "US"),
            ("", "US"),
            ("12", "ZZ"),
            ("🙂", "JP"),
        ] {
            assert_eq!(format(number, country, Format::E164), number);
        }
    }

    #[test]
    fn sip_endpoints_are_stripped() {
        assert_eq!(strip_sip("sip:+15551234567@10.0.0.1"), "+15551234567");
        assert_eq!(strip_sip("sip:+15551234567"), "+15551234567");
        assert_eq!(strip_sip("+15551234567"), "+15551234567");
    }
}
