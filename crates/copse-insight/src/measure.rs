//! A measured value, or the reason there is none. Every metric and detector
//! returns one of these, so an empty community, a single member or a survey
//! below the anonymity minimum reads "not enough data: <why>" instead of a
//! panic, a NaN or a division by zero.

#[derive(Debug, Clone, PartialEq)]
pub enum Measure {
    Value(f64),
    NotEnoughData(String),
}

impl Measure {
    /// A value, refusing NaN and infinities (which become "not enough data").
    pub fn of(value: f64) -> Self {
        if value.is_finite() {
            Measure::Value(value)
        } else {
            Measure::NotEnoughData("the calculation had no defined result".into())
        }
    }

    pub fn missing(reason: impl Into<String>) -> Self {
        Measure::NotEnoughData(reason.into())
    }

    /// `numerator / denominator`, or not enough data (with `reason`) when the
    /// denominator is zero.
    pub fn ratio(numerator: f64, denominator: f64, reason: &str) -> Self {
        if denominator == 0.0 { Measure::missing(reason) } else { Measure::of(numerator / denominator) }
    }

    pub fn value(&self) -> Option<f64> {
        match self {
            Measure::Value(v) => Some(*v),
            Measure::NotEnoughData(_) => None,
        }
    }

    pub fn reason(&self) -> Option<&str> {
        match self {
            Measure::Value(_) => None,
            Measure::NotEnoughData(reason) => Some(reason),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nan_and_division_by_zero_become_reasons() {
        assert_eq!(Measure::of(f64::NAN).value(), None);
        assert_eq!(Measure::ratio(1.0, 0.0, "no members").reason(), Some("no members"));
        assert_eq!(Measure::ratio(1.0, 4.0, "no members").value(), Some(0.25));
    }
}
