//! Placeholder: built by its owner.

use super::Scan;
use crate::{Error, Finding, Settings};

pub(crate) struct Links;

impl Links {
    pub fn new(_settings: &Settings) -> Result<Links, Error> {
        Ok(Links)
    }

    pub fn detect(&self, _scan: &Scan, _out: &mut Vec<Finding>) {}
}
