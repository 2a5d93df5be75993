//! A fake Salesforce org (REST API and OAuth token endpoint).
