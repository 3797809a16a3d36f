//! Query-string parameters, named as the CLI's options. Each endpoint lists the names it
//! takes, so a misspelt one is a 400 rather than silently ignored; a new filter is one more
//! name in that list and one more read below.

use std::collections::HashMap;

use super::error::ApiError;
use super::limits::MAX_QUERY_BYTES;

pub struct Params {
    values: HashMap<String, String>,
    /// The parameters that may be given more than once (`facet`), every value in order.
    lists: HashMap<String, Vec<String>>,
}

/// Parameters that may repeat, as the CLI's options that may (`--facet`).
const REPEATABLE: &[&str] = &["facet"];

impl Params {
    pub fn new(pairs: Vec<(String, String)>, known: &[&str]) -> Result<Params, ApiError> {
        let mut values = HashMap::new();
        let mut lists: HashMap<String, Vec<String>> = HashMap::new();
        for (name, value) in pairs {
            if !known.contains(&name.as_str()) {
                return Err(ApiError::bad_request(format!(
                    "unknown parameter {name:?}; this endpoint takes: {}",
                    known.join(", ")
                )));
            }
            if REPEATABLE.contains(&name.as_str()) {
                lists.entry(name).or_default().push(value);
                continue;
            }
            if values.insert(name.clone(), value).is_some() {
                return Err(ApiError::bad_request(format!(
                    "parameter {name:?} given more than once"
                )));
            }
        }
        Ok(Params { values, lists })
    }

    /// A text parameter; blank counts as absent. Longer than [`MAX_QUERY_BYTES`] is refused.
    pub fn text(&self, name: &str) -> Result<Option<&str>, ApiError> {
        let Some(v) = self.values.get(name) else {
            return Ok(None);
        };
        if v.len() > MAX_QUERY_BYTES {
            return Err(ApiError::bad_request(format!(
                "{name} is {} bytes long; at most {MAX_QUERY_BYTES} are accepted",
                v.len()
            )));
        }
        Ok(Some(v.as_str()).filter(|v| !v.trim().is_empty()))
    }

    pub fn required_text(&self, name: &str) -> Result<&str, ApiError> {
        self.text(name)?
            .ok_or_else(|| ApiError::bad_request(format!("missing parameter {name:?}")))
    }

    /// A count in `min..=max`, or `default` when absent.
    pub fn count(
        &self,
        name: &str,
        default: usize,
        min: usize,
        max: usize,
    ) -> Result<usize, ApiError> {
        let Some(v) = self.values.get(name) else {
            return Ok(default);
        };
        let n: usize = v.trim().parse().map_err(|_| {
            ApiError::bad_request(format!("{name} must be a whole number, not {v:?}"))
        })?;
        if n < min || n > max {
            return Err(ApiError::bad_request(format!(
                "{name} must be between {min} and {max}, not {n}"
            )));
        }
        Ok(n)
    }

    /// A switch of the CLI (`--context`): `true`/`false`, `1`/`0`, or empty for true.
    pub fn flag(&self, name: &str) -> Result<bool, ApiError> {
        match self.values.get(name).map(|v| v.trim()) {
            None | Some("false") | Some("0") => Ok(false),
            Some("") | Some("true") | Some("1") => Ok(true),
            Some(v) => Err(ApiError::bad_request(format!(
                "{name} must be true or false, not {v:?}"
            ))),
        }
    }

    /// Every value of a repeatable parameter, blanks left out.
    pub fn list(&self, name: &str) -> Vec<&str> {
        self.lists
            .get(name)
            .into_iter()
            .flatten()
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
            .collect()
    }
}
