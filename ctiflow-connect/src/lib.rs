//! Amazon Connect for ctiflow flows.
