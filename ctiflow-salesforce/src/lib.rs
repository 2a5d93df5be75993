//! Salesforce for ctiflow flows.
