//! How evenly contributions are spread: the Gini coefficient, the share of
//! the top 10 %, the Contributor Absence Factor (CHAOSS: the fewest people
//! who together make half of all contributions), the Lorenz curve, and the
//! Shannon index for diversity. Inputs are per-person counts (or category
//! labels); people with no contributions are left out by the caller.

use std::collections::BTreeMap;

use crate::measure::Measure;

/// Gini coefficient of non-negative counts: Σᵢ Σⱼ |xᵢ − xⱼ| / (2 n² μ),
/// 0 when everyone contributes equally, towards 1 when one person does
/// everything. Needs at least two contributors.
pub fn gini(counts: &[i64]) -> Measure {
    let n = counts.len();
    if n < 2 {
        return Measure::missing("fewer than 2 contributors");
    }
    let total: i64 = counts.iter().sum();
    if total <= 0 {
        return Measure::missing("no contributions");
    }
    let mut sorted = counts.to_vec();
    sorted.sort_unstable();
    // With ascending x: Σᵢ Σⱼ |xᵢ − xⱼ| = 2 Σᵢ (2i − n + 1) xᵢ (0-based i).
    let weighted: i128 = sorted.iter().enumerate().map(|(i, &x)| (2 * i as i128 - n as i128 + 1) * x as i128).sum();
    Measure::of(weighted as f64 / (n as f64 * total as f64))
}

/// Share of all contributions made by the top 10 % of contributors (at
/// least one person).
pub fn top_decile_share(counts: &[i64]) -> Measure {
    let total: i64 = counts.iter().sum();
    if counts.is_empty() || total <= 0 {
        return Measure::missing("no contributions");
    }
    let mut sorted = counts.to_vec();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    let top = counts.len().div_ceil(10);
    Measure::of(sorted[..top].iter().sum::<i64>() as f64 / total as f64)
}

/// CHAOSS Contributor Absence Factor: the smallest number of people whose
/// contributions add up to at least half of the total.
pub fn absence_factor(counts: &[i64]) -> Measure {
    let total: i64 = counts.iter().sum();
    if total <= 0 {
        return Measure::missing("no contributions");
    }
    let mut sorted = counts.to_vec();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    let mut running = 0;
    for (i, count) in sorted.iter().enumerate() {
        running += count;
        if running * 2 >= total {
            return Measure::Value((i + 1) as f64);
        }
    }
    Measure::Value(sorted.len() as f64)
}

/// Points of the Lorenz curve (share of people, share of contributions),
/// from (0, 0) to (1, 1), people sorted from least to most; at most
/// `max_points` + 1 points (evenly spaced over people) to keep charts small.
pub fn lorenz_curve(counts: &[i64], max_points: usize) -> Vec<(f64, f64)> {
    let total: i64 = counts.iter().sum();
    if counts.is_empty() || total <= 0 || max_points == 0 {
        return Vec::new();
    }
    let mut sorted = counts.to_vec();
    sorted.sort_unstable();
    let n = sorted.len();
    let mut cumulative = Vec::with_capacity(n + 1);
    cumulative.push(0i64);
    for x in &sorted {
        cumulative.push(cumulative.last().unwrap() + x);
    }
    let steps = max_points.min(n);
    (0..=steps)
        .map(|k| {
            let people = k * n / steps;
            (people as f64 / n as f64, cumulative[people] as f64 / total as f64)
        })
        .collect()
}

/// Shannon diversity index H = −Σ pᵢ ln pᵢ over the categories of `labels`
/// (empty labels count as their own category "unknown"). 0 when everyone
/// is in one category; ln k when spread evenly over k.
pub fn shannon<'a>(labels: impl IntoIterator<Item = &'a str>) -> Measure {
    let mut counts: BTreeMap<&str, i64> = BTreeMap::new();
    let mut n = 0;
    for label in labels {
        *counts.entry(label).or_default() += 1;
        n += 1;
    }
    if n == 0 {
        return Measure::missing("nobody to compare");
    }
    let h: f64 = counts
        .values()
        .map(|&c| {
            let p = c as f64 / n as f64;
            -p * p.ln()
        })
        .sum();
    Measure::of(h.max(0.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(measure: Measure, expected: f64) {
        let value = measure.value().expect("a value");
        assert!((value - expected).abs() < 1e-9, "{value} != {expected}");
    }

    #[test]
    fn gini_by_hand() {
        close(gini(&[5, 5, 5, 5]), 0.0);
        // [0, 0, 0, 10]: Σ|xi-xj| = 2 * 3 * 10 = 60; 2 n² μ = 2 * 16 * 2.5 = 80.
        close(gini(&[0, 0, 0, 10]), 0.75);
        // [1, 2, 3]: pairs |1-2|+|1-3|+|2-3| = 4, doubled 8; 2 * 9 * 2 = 36.
        close(gini(&[3, 1, 2]), 8.0 / 36.0);
        assert!(gini(&[7]).reason().is_some());
        assert!(gini(&[]).reason().is_some());
        assert!(gini(&[0, 0]).reason().is_some());
    }

    #[test]
    fn top_share_and_absence_factor_by_hand() {
        // 12 people: top 10 % is 2 people (ceil 1.2).
        let counts = [50, 20, 5, 5, 5, 5, 2, 2, 2, 2, 1, 1];
        close(top_decile_share(&counts), 70.0 / 100.0);
        // 50 alone is half of 100.
        close(absence_factor(&counts), 1.0);
        close(absence_factor(&[3, 3, 3, 3]), 2.0);
        close(absence_factor(&[1]), 1.0);
        assert!(absence_factor(&[]).reason().is_some());
    }

    #[test]
    fn lorenz_runs_from_origin_to_one() {
        let curve = lorenz_curve(&[1, 1, 2], 3);
        assert_eq!(curve.first(), Some(&(0.0, 0.0)));
        assert_eq!(curve.last(), Some(&(1.0, 1.0)));
        assert!((curve[1].1 - 0.25).abs() < 1e-9);
        assert_eq!(lorenz_curve(&[5; 1000], 20).len(), 21);
        assert!(lorenz_curve(&[], 5).is_empty());
    }

    #[test]
    fn shannon_by_hand() {
        close(shannon(["a", "a", "a"]), 0.0);
        close(shannon(["a", "b"]), 2f64.ln());
        close(shannon(["a", "b", "c", "d"]), 4f64.ln());
        assert!(shannon(std::iter::empty()).reason().is_some());
    }
}
