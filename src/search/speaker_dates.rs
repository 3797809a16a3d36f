//! `speakers TOPIC --histogram PERIOD`: who was quoted when. One quote count per listed
//! speaker, over the quotes `quotes TOPIC --speaker NAME` counts (the speaker's quotes whose
//! own text matches the topic), so a speaker's row agrees with that command's histogram.
//! Only the listed speakers (`-n`, 20 by default) are counted, one count query each.

use anyhow::Result;
use serde::Serialize;

use super::meta::{CountRequest, Histogram, Period};
use super::query::Target;
use super::topic_quotes::counted_quotes_query;
use super::Engine;

/// The quotes of one speaker per period.
#[derive(Debug, Clone, Serialize)]
pub struct SpeakerHistogram {
    pub speaker: String,
    #[serde(flatten)]
    pub histogram: Histogram,
}

impl Engine {
    /// The histogram of each of `speakers`' quotes on `topic` (all their quotes without one).
    pub(crate) fn speaker_histograms(
        &self,
        topic: Option<&str>,
        speakers: &[String],
        period: Period,
    ) -> Result<Vec<SpeakerHistogram>> {
        let request = CountRequest {
            target: Target::Quotes,
            facets: Vec::new(),
            histogram: Some(period),
        };
        let mut out = Vec::with_capacity(speakers.len());
        for name in speakers {
            let query = counted_quotes_query(topic, Some(name));
            let counts = self.count(&query, &request)?;
            if let Some(histogram) = counts.histogram {
                out.push(SpeakerHistogram {
                    speaker: name.clone(),
                    histogram,
                });
            }
        }
        Ok(out)
    }
}
