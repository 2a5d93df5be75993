//! A fake Amazon Connect (rest-json).
