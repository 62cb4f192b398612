//! CVSS vectors to base scores. v3.0/v3.1: the exact v3.1 base score formula. v4.0: an
//! APPROXIMATION (the real v4 score comes from a 270-entry macro-vector table that is not
//! reproduced here): the v4 base metrics are mapped onto the v3.1 formula (AT:P lowers
//! exploitability like AC:H, subsequent-system impact counts as a scope change). It puts vectors
//! in the right severity band in the common cases, not to the decimal.

use serde::{Deserialize, Serialize};

/// A severity band, as CVSS names them; `Unknown` when the record gives nothing usable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Unknown,
    None,
    Low,
    Medium,
    High,
    Critical,
}

impl Level {
    pub fn from_score(score: f64) -> Level {
        match score {
            s if s <= 0.0 => Level::None,
            s if s < 4.0 => Level::Low,
            s if s < 7.0 => Level::Medium,
            s if s < 9.0 => Level::High,
            _ => Level::Critical,
        }
    }

    /// Words advisories use for severity (GHSA's `MODERATE`, Debian's `high`, ...).
    pub fn from_word(word: &str) -> Level {
        match word.trim().to_ascii_lowercase().as_str() {
            "critical" => Level::Critical,
            "high" | "important" => Level::High,
            "medium" | "moderate" => Level::Medium,
            "low" | "negligible" | "unimportant" => Level::Low,
            _ => Level::Unknown,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Unknown => "unknown",
            Level::None => "none",
            Level::Low => "low",
            Level::Medium => "medium",
            Level::High => "high",
            Level::Critical => "critical",
        }
    }
}

/// The base score of a CVSS v3.x or v4.0 vector (`CVSS:3.1/AV:N/...`); `None` for other
/// versions or a vector that lacks a base metric.
pub fn base_score(vector: &str) -> Option<f64> {
    let mut parts = vector.trim().split('/');
    let version = parts.next()?.strip_prefix("CVSS:")?;
    let metrics = Metrics(parts.filter_map(|p| p.split_once(':')).collect());
    match version {
        "3.0" | "3.1" => v3_score(&metrics),
        "4.0" => v4_approximate_score(&metrics),
        _ => None,
    }
}

/// A vector's metrics by name: a dozen pairs, where a scan is cheaper than building a hash map.
/// A metric given twice counts with its last value.
struct Metrics<'a>(Vec<(&'a str, &'a str)>);

impl<'a> Metrics<'a> {
    fn get(&self, key: &str) -> Option<&&'a str> {
        self.0.iter().rev().find(|(name, _)| *name == key).map(|(_, value)| value)
    }
}

fn v3_score(m: &Metrics<'_>) -> Option<f64> {
    let scope_changed = match *m.get("S")? {
        "U" => false,
        "C" => true,
        _ => return None,
    };
    let av = match *m.get("AV")? { "N" => 0.85, "A" => 0.62, "L" => 0.55, "P" => 0.2, _ => return None };
    let ac = match *m.get("AC")? { "L" => 0.77, "H" => 0.44, _ => return None };
    let pr = match (*m.get("PR")?, scope_changed) {
        ("N", _) => 0.85,
        ("L", false) => 0.62,
        ("L", true) => 0.68,
        ("H", false) => 0.27,
        ("H", true) => 0.5,
        _ => return None,
    };
    let ui = match *m.get("UI")? { "N" => 0.85, "R" => 0.62, _ => return None };
    let cia = |key: &str| -> Option<f64> {
        match *m.get(key)? { "H" => Some(0.56), "L" => Some(0.22), "N" => Some(0.0), _ => None }
    };
    Some(v3_formula(av * ac * pr * ui, cia("C")?, cia("I")?, cia("A")?, scope_changed))
}

/// CVSS v3.1 section 7.1, given the product AV × AC × PR × UI.
fn v3_formula(exploit_product: f64, c: f64, i: f64, a: f64, scope_changed: bool) -> f64 {
    let iss = 1.0 - (1.0 - c) * (1.0 - i) * (1.0 - a);
    let impact = if scope_changed { 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02).powi(15) } else { 6.42 * iss };
    let exploitability = 8.22 * exploit_product;
    if impact <= 0.0 {
        return 0.0;
    }
    let raw = if scope_changed { 1.08 * (impact + exploitability) } else { impact + exploitability };
    roundup(raw.min(10.0))
}

/// CVSS v3.1's Roundup, which avoids floating-point surprises.
fn roundup(value: f64) -> f64 {
    let scaled = (value * 100_000.0).round() as i64;
    if scaled % 10_000 == 0 {
        scaled as f64 / 100_000.0
    } else {
        ((scaled / 10_000) + 1) as f64 / 10.0
    }
}

fn v4_approximate_score(m: &Metrics<'_>) -> Option<f64> {
    let av = match *m.get("AV")? { "N" => 0.85, "A" => 0.62, "L" => 0.55, "P" => 0.2, _ => return None };
    let ac = match *m.get("AC")? { "L" => 0.77, "H" => 0.44, _ => return None };
    let at = match *m.get("AT")? { "N" => 1.0, "P" => 0.57, _ => return None };
    let pr = match *m.get("PR")? { "N" => 0.85, "L" => 0.62, "H" => 0.27, _ => return None };
    let ui = match *m.get("UI")? { "N" => 0.85, "P" => 0.62, "A" => 0.55, _ => return None };
    let level = |key: &str| -> Option<f64> {
        match *m.get(key)? { "H" => Some(0.56), "L" => Some(0.22), "N" => Some(0.0), _ => None }
    };
    let (vc, vi, va) = (level("VC")?, level("VI")?, level("VA")?);
    let (sc, si, sa) = (level("SC")?, level("SI")?, level("SA")?);
    let scope_changed = sc > 0.0 || si > 0.0 || sa > 0.0;
    Some(v3_formula(av * ac * at * pr * ui, vc.max(sc), vi.max(si), va.max(sa), scope_changed))
}

#[cfg(test)]
mod tests {
    use super::{base_score, Level};

    #[test]
    fn v3_scores_match_nvd() {
        // Scores as NVD publishes them for these vectors.
        let cases = [
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8),
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0),
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1),
            ("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 7.8),
            ("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N", 5.9),
            ("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", 7.5),
            ("CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N", 1.6),
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0),
        ];
        for (vector, expected) in cases {
            assert_eq!(base_score(vector), Some(expected), "{vector}");
        }
    }

    #[test]
    fn v4_is_approximated_into_the_right_band() {
        let critical = base_score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N").expect("score");
        assert_eq!(Level::from_score(critical), Level::Critical, "{critical}");
        let low = base_score("CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N").expect("score");
        assert_eq!(Level::from_score(low), Level::Low, "{low}");
    }

    #[test]
    fn unusable_vectors_have_no_score() {
        for vector in ["", "AV:N/AC:L", "CVSS:2.0/AV:N", "CVSS:3.1/AV:N/AC:L", "CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"] {
            assert_eq!(base_score(vector), None, "{vector}");
        }
    }
}
