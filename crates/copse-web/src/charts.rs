//! Charts drawn on the server as SVG: no script, no inline `style`
//! attributes (the Content-Security-Policy would block them), colours from
//! CSS classes in `copse.css`. Every chart is a `<figure>` whose SVG has a
//! `<title>` and a `<desc>` that says in words what it shows, followed by the
//! same numbers as a table in a `<details>` for screen readers, keyboard
//! users and anyone who wants the exact figures.
//!
//! A value that is missing ("not enough data") is a gap in a line and a
//! "not enough data" label on a bar; no chart ever writes NaN or infinity.
//! Everything taken from outside (labels, titles) is escaped here, so the
//! templates insert a [`Chart`] with `|safe`.

use std::fmt;
use std::fmt::Write as _;

/// Finished, escaped markup for a template (`{{ chart|safe }}`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Chart(pub String);

impl fmt::Display for Chart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// How values are written on axes, labels and in the data table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Unit {
    /// Whole things: people, sessions, posts.
    Count,
    /// A share between 0 and 1, written as a percentage.
    Share,
    /// Hours, with one decimal below 10.
    Hours,
    /// The value as given, with this suffix ("%", " sessions").
    Suffix(&'static str),
}

impl Unit {
    pub fn format(self, value: f64) -> String {
        if !value.is_finite() {
            return "not enough data".into();
        }
        match self {
            Unit::Count => number(value),
            Unit::Share => format!("{}%", (value * 100.0).round() as i64),
            Unit::Hours => format!("{} h", number(value)),
            // "1 thread", not "1 threads".
            Unit::Suffix(suffix) if number(value) == "1" && suffix.starts_with(' ') && suffix.ends_with('s') => {
                format!("1{}", &suffix[..suffix.len() - 1])
            }
            Unit::Suffix(suffix) => format!("{}{suffix}", number(value)),
        }
    }

    fn whole(self) -> bool {
        matches!(self, Unit::Count)
    }
}

/// "12", "3.5", "1,250": whole numbers without decimals, small ones with one.
pub fn number(value: f64) -> String {
    if !value.is_finite() {
        return "not enough data".into();
    }
    let rounded = (value * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 || rounded.abs() >= 100.0 {
        let whole = rounded.round() as i64;
        let digits = whole.unsigned_abs().to_string();
        let mut grouped = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        if whole < 0 { format!("−{grouped}") } else { grouped }
    } else {
        format!("{rounded:.1}")
    }
}

/// Escapes text for HTML and SVG (element content and quoted attributes).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// An `id` safe to use in attributes: letters, digits and dashes only.
fn safe_id(id: &str) -> String {
    let cleaned: String = id.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '-' }).collect();
    if cleaned.is_empty() { "chart".into() } else { cleaned }
}

fn finite(value: Option<f64>) -> Option<f64> {
    value.filter(|v| v.is_finite())
}

/// At most `max` characters, with an ellipsis when cut.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

/// A tick step of 1, 2, 2.5 or 5 times a power of ten, at least `rough`.
fn nice_step(rough: f64) -> f64 {
    if !rough.is_finite() || rough <= 0.0 {
        return 1.0;
    }
    let magnitude = 10f64.powf(rough.log10().floor());
    for m in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if m * magnitude >= rough * (1.0 - 1e-9) {
            return m * magnitude;
        }
    }
    10.0 * magnitude
}

/// The axis maximum and its tick step (four intervals).
fn axis(max_value: f64, unit: Unit) -> (f64, f64) {
    let mut step = nice_step(max_value / 4.0);
    if unit.whole() {
        step = step.max(1.0).ceil();
    }
    if matches!(unit, Unit::Share) && max_value <= 0.0 {
        step = 0.25;
    }
    (step * 4.0, step)
}

/// The figure around an SVG, with the numbers as a table.
fn figure(kind: &str, svg: &str, table: &DataTable) -> Chart {
    let mut html = String::new();
    let _ = write!(html, "<figure class=\"chart chart-{kind}\">{svg}");
    if !table.rows.is_empty() {
        let _ = write!(
            html,
            "<details class=\"chart-data\"><summary>Show the numbers</summary><table class=\"data-table\"><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
            escape(&table.head.0),
            escape(&table.head.1)
        );
        for (label, value) in &table.rows {
            let _ = write!(
                html,
                "<tr><th scope=\"row\">{}</th><td class=\"num\">{}</td></tr>",
                escape(label),
                escape(value)
            );
        }
        html.push_str("</tbody></table></details>");
    }
    html.push_str("</figure>");
    Chart(html)
}

struct DataTable {
    head: (String, String),
    rows: Vec<(String, String)>,
}

fn svg_open(out: &mut String, id: &str, class: &str, width: f64, height: f64, title: &str, desc: &str) {
    let _ = write!(
        out,
        "<svg class=\"{class}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"{id}-t\" aria-describedby=\"{id}-d\" focusable=\"false\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc>",
        escape(title),
        escape(desc)
    );
}

// --- trend ------------------------------------------------------------------

/// One period of a trend: its short label ("8 Sep", "Oct", "Q3 2026") and
/// its value, or `None` when there is not enough data.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendPoint {
    pub label: String,
    pub value: Option<f64>,
}

impl TrendPoint {
    pub fn new(label: impl Into<String>, value: Option<f64>) -> Self {
        Self { label: label.into(), value }
    }
}

const TREND_W: f64 = 340.0;
const TREND_H: f64 = 180.0;
const TREND_LEFT: f64 = 42.0;
const TREND_RIGHT: f64 = 14.0;
const TREND_TOP: f64 = 18.0;
const TREND_BOTTOM: f64 = 30.0;

/// A line over periods, oldest first, with the area under it, gridlines,
/// axis labels and the last point marked with its value. Missing values are
/// gaps in the line.
pub fn trend(id: &str, title: &str, points: &[TrendPoint], unit: Unit) -> Chart {
    let id = safe_id(id);
    let values: Vec<Option<f64>> = points.iter().map(|p| finite(p.value)).collect();
    let known: Vec<(usize, f64)> = values.iter().enumerate().filter_map(|(i, v)| v.map(|v| (i, v))).collect();
    let desc = trend_desc(points, &values, unit);
    let mut svg = String::new();
    svg_open(&mut svg, &id, "chart-svg", TREND_W, TREND_H, title, &desc);
    let plot_w = TREND_W - TREND_LEFT - TREND_RIGHT;
    let plot_h = TREND_H - TREND_TOP - TREND_BOTTOM;
    let base = TREND_TOP + plot_h;
    let max_value = known.iter().map(|(_, v)| *v).fold(0.0f64, f64::max);
    let min_value = known.iter().map(|(_, v)| *v).fold(0.0f64, f64::min);
    // Negative values are not expected; if one comes, it sits on the axis.
    let _ = min_value;
    let (axis_max, step) = axis(max_value, unit);
    let y = |v: f64| base - (v.max(0.0) / axis_max).min(1.0) * plot_h;
    let n = points.len();
    let x = |i: usize| {
        if n <= 1 { TREND_LEFT + plot_w / 2.0 } else { TREND_LEFT + plot_w * i as f64 / (n - 1) as f64 }
    };
    // Gridlines and the value axis.
    svg.push_str("<g class=\"chart-grid\">");
    for k in 0..=4 {
        let v = step * k as f64;
        let gy = y(v);
        let _ = write!(
            svg,
            "<line x1=\"{TREND_LEFT}\" y1=\"{gy:.1}\" x2=\"{:.1}\" y2=\"{gy:.1}\"/>",
            TREND_W - TREND_RIGHT
        );
    }
    svg.push_str("</g><g class=\"chart-axis\">");
    for k in 0..=4 {
        let v = step * k as f64;
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            TREND_LEFT - 6.0,
            y(v) + 4.0,
            escape(&unit.format(v))
        );
    }
    // Period labels: the first, the last and up to two between.
    let longest = points.iter().map(|p| p.label.chars().count().min(14)).max().unwrap_or(0);
    for i in label_indices(n, longest) {
        let anchor = if n > 1 && i == 0 {
            "start"
        } else if n > 1 && i == n - 1 {
            "end"
        } else {
            "middle"
        };
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\">{}</text>",
            x(i),
            TREND_H - 9.0,
            escape(&shorten(&points[i].label, 14))
        );
    }
    svg.push_str("</g>");
    if known.is_empty() {
        let _ = write!(
            svg,
            "<text class=\"chart-na\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">Not enough data</text>",
            TREND_LEFT + plot_w / 2.0,
            TREND_TOP + plot_h / 2.0
        );
    } else {
        // Runs of consecutive known values: an area and a line each; a lone
        // value is a dot.
        let mut runs: Vec<Vec<(usize, f64)>> = Vec::new();
        for (i, v) in &known {
            match runs.last_mut() {
                Some(run) if run.last().is_some_and(|(j, _)| *j + 1 == *i) => run.push((*i, *v)),
                _ => runs.push(vec![(*i, *v)]),
            }
        }
        for run in &runs {
            if run.len() == 1 {
                let (i, v) = run[0];
                let _ = write!(svg, "<circle class=\"chart-dot\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\"/>", x(i), y(v));
                continue;
            }
            let mut line = String::new();
            for (k, (i, v)) in run.iter().enumerate() {
                let _ = write!(line, "{}{:.1} {:.1}", if k == 0 { "M" } else { " L" }, x(*i), y(*v));
            }
            let first = run[0].0;
            let last = run[run.len() - 1].0;
            let _ = write!(
                svg,
                "<path class=\"chart-area\" d=\"{line} L{:.1} {base:.1} L{:.1} {base:.1} Z\"/><path class=\"chart-line\" d=\"{line}\"/>",
                x(last),
                x(first)
            );
        }
        if let Some((i, v)) = known.last().copied() {
            let cx = x(i);
            let cy = y(v);
            let anchor = if cx > TREND_W - 60.0 { "end" } else { "middle" };
            let label_y = if cy < TREND_TOP + 12.0 { cy + 16.0 } else { cy - 8.0 };
            let _ = write!(
                svg,
                "<circle class=\"chart-last\" cx=\"{cx:.1}\" cy=\"{cy:.1}\" r=\"4.5\"/><text class=\"chart-value\" x=\"{:.1}\" y=\"{label_y:.1}\" text-anchor=\"{anchor}\">{}</text>",
                if anchor == "end" { cx + 4.0 } else { cx },
                escape(&unit.format(v))
            );
        }
    }
    svg.push_str("</svg>");
    let table = DataTable {
        head: ("Period".into(), title.to_string()),
        rows: points
            .iter()
            .zip(&values)
            .map(|(p, v)| (p.label.clone(), v.map(|v| unit.format(v)).unwrap_or_else(|| "not enough data".into())))
            .collect(),
    };
    figure("trend", &svg, &table)
}

/// Which periods get a label: all of up to four; otherwise the first, the
/// last and one (long labels) or two (short ones) between, so they never
/// overlap, even on a phone.
fn label_indices(n: usize, longest: usize) -> Vec<usize> {
    if n <= 4 && (n <= 3 || longest <= 6) {
        return (0..n).collect();
    }
    let mut out = if longest > 6 { vec![0, (n - 1) / 2, n - 1] } else { vec![0, (n - 1) / 3, 2 * (n - 1) / 3, n - 1] };
    out.dedup();
    out
}

fn trend_desc(points: &[TrendPoint], values: &[Option<f64>], unit: Unit) -> String {
    let known: Vec<(usize, f64)> = values.iter().enumerate().filter_map(|(i, v)| v.map(|v| (i, v))).collect();
    let (Some(first), Some(last)) = (known.first(), known.last()) else {
        return format!("Not enough data in any of the {} periods.", points.len());
    };
    let high = known.iter().copied().fold(*first, |best, p| if p.1 > best.1 { p } else { best });
    let mut desc = if known.len() == 1 {
        format!("{} in {}", unit.format(first.1), points[first.0].label)
    } else {
        format!(
            "From {} in {} to {} in {}; highest {} in {}",
            unit.format(first.1),
            points[first.0].label,
            unit.format(last.1),
            points[last.0].label,
            unit.format(high.1),
            points[high.0].label
        )
    };
    let missing = values.len() - known.len();
    if missing > 0 {
        let _ = write!(desc, "; not enough data in {missing} of {} periods", values.len());
    }
    desc.push('.');
    desc
}

// --- horizontal bars --------------------------------------------------------

/// One bar: its label, its value (or `None`: "not enough data") and an
/// optional note written after the value ("12 of 30").
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: Option<f64>,
    pub note: String,
}

impl Bar {
    pub fn new(label: impl Into<String>, value: Option<f64>) -> Self {
        Self { label: label.into(), value, note: String::new() }
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.note = note.into();
        self
    }
}

const BAR_W: f64 = 320.0;
const BAR_ROW: f64 = 28.0;
const BAR_LABEL_W: f64 = 100.0;
const BAR_VALUE_W: f64 = 70.0;

/// Horizontal bars with labels and values. `max` fixes the scale (1.0 for
/// shares); otherwise the largest value fills the track.
pub fn bars(id: &str, title: &str, rows: &[Bar], unit: Unit, max: Option<f64>) -> Chart {
    let id = safe_id(id);
    let values: Vec<Option<f64>> = rows.iter().map(|r| finite(r.value)).collect();
    let largest = values.iter().flatten().copied().fold(0.0f64, f64::max);
    let scale = finite(max).filter(|m| *m > 0.0).unwrap_or(largest).max(largest);
    let height = (rows.len().max(1) as f64) * BAR_ROW + 6.0;
    let desc = if rows.is_empty() {
        "Nothing to show yet.".to_string()
    } else {
        rows.iter()
            .zip(&values)
            .map(|(r, v)| format!("{}: {}", r.label, bar_value_text(*v, unit, &r.note)))
            .collect::<Vec<_>>()
            .join("; ")
            + "."
    };
    let mut svg = String::new();
    svg_open(&mut svg, &id, "chart-svg", BAR_W, height, title, &desc);
    let track_x = BAR_LABEL_W + 6.0;
    let track_w = BAR_W - track_x - BAR_VALUE_W;
    if rows.is_empty() {
        let _ = write!(
            svg,
            "<text class=\"chart-na\" x=\"{:.1}\" y=\"20\" text-anchor=\"middle\">Not enough data</text>",
            BAR_W / 2.0
        );
    }
    for (k, (row, value)) in rows.iter().zip(&values).enumerate() {
        let top = 3.0 + k as f64 * BAR_ROW;
        let mid = top + BAR_ROW / 2.0;
        let _ = write!(
            svg,
            "<g class=\"chart-bar-row\"><text class=\"chart-label\" x=\"0\" y=\"{:.1}\">{}</text><rect class=\"chart-track\" x=\"{track_x:.1}\" y=\"{:.1}\" width=\"{track_w:.1}\" height=\"14\" rx=\"3\"/>",
            mid + 4.0,
            escape(&shorten(&row.label, 16)),
            mid - 7.0
        );
        match value {
            Some(v) => {
                let w = if scale > 0.0 { (v.max(0.0) / scale).min(1.0) * track_w } else { 0.0 };
                let _ = write!(
                    svg,
                    "<rect class=\"chart-fill\" x=\"{track_x:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"14\" rx=\"3\"/><text class=\"chart-value\" x=\"{:.1}\" y=\"{:.1}\">{}</text>",
                    mid - 7.0,
                    track_x + track_w + 6.0,
                    mid + 4.0,
                    escape(&unit.format(*v))
                );
            }
            None => {
                let _ = write!(
                    svg,
                    "<text class=\"chart-na\" x=\"{:.1}\" y=\"{:.1}\">not enough data</text>",
                    track_x + 6.0,
                    mid + 4.0
                );
            }
        }
        svg.push_str("</g>");
    }
    svg.push_str("</svg>");
    let table = DataTable {
        head: ("".into(), title.to_string()),
        rows: rows.iter().zip(&values).map(|(r, v)| (r.label.clone(), bar_value_text(*v, unit, &r.note))).collect(),
    };
    figure("bars", &svg, &table)
}

fn bar_value_text(value: Option<f64>, unit: Unit, note: &str) -> String {
    match value {
        Some(v) if note.is_empty() => unit.format(v),
        Some(v) => format!("{} ({note})", unit.format(v)),
        None if note.is_empty() => "not enough data".into(),
        None => format!("not enough data ({note})"),
    }
}

// --- participation levels ---------------------------------------------------

const LEVELS_W: f64 = 400.0;
const LEVELS_H: f64 = 64.0;

/// The members by participation level as one stacked bar (core, active,
/// peripheral, inactive), with the reference bands marked: 10–15 % core,
/// and 15–20 % active (drawn from where the active part starts, so the end
/// of the active part should fall inside it).
pub fn levels(id: &str, core: i64, active: i64, peripheral: i64, inactive: i64) -> Chart {
    let id = safe_id(id);
    let counts = [core.max(0), active.max(0), peripheral.max(0), inactive.max(0)];
    let total: i64 = counts.iter().sum();
    let names = ["Core", "Active", "Peripheral", "Inactive"];
    let classes = ["level-core", "level-active", "level-peripheral", "level-inactive"];
    let share = |n: i64| if total > 0 { n as f64 / total as f64 } else { 0.0 };
    let desc = if total == 0 {
        "No members yet. Reference: 10–15% core, 15–20% active.".to_string()
    } else {
        let parts: Vec<String> = names
            .iter()
            .zip(counts)
            .map(|(name, n)| format!("{name} {n} ({}%)", (share(n) * 100.0).round() as i64))
            .collect();
        format!("{}. Reference: 10–15% core, 15–20% active.", parts.join(", "))
    };
    let mut svg = String::new();
    svg_open(&mut svg, &id, "chart-svg chart-levels", LEVELS_W, LEVELS_H, "Participation levels", &desc);
    let bar_y = 14.0;
    let bar_h = 22.0;
    let _ = write!(
        svg,
        "<rect class=\"chart-track\" x=\"0\" y=\"{bar_y}\" width=\"{LEVELS_W}\" height=\"{bar_h}\" rx=\"4\"/>"
    );
    if total > 0 {
        let mut x = 0.0;
        for (n, class) in counts.iter().zip(classes) {
            let w = share(*n) * LEVELS_W;
            if w > 0.0 {
                let _ = write!(
                    svg,
                    "<rect class=\"{class}\" x=\"{x:.1}\" y=\"{bar_y}\" width=\"{w:.1}\" height=\"{bar_h}\"/>"
                );
            }
            x += w;
        }
    } else {
        let _ = write!(
            svg,
            "<text class=\"chart-na\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">No members yet</text>",
            LEVELS_W / 2.0,
            bar_y + 15.0
        );
    }
    // Reference bands: brackets above the bar, labels below it.
    let core_share = share(counts[0]);
    let bands = [(0.10, 0.15, "core 10–15%", "end"), (core_share + 0.15, core_share + 0.20, "active 15–20%", "start")];
    for (from, to, label, anchor) in bands {
        let x1 = (from.min(1.0)) * LEVELS_W;
        let x2 = (to.min(1.0)) * LEVELS_W;
        let _ = write!(
            svg,
            "<rect class=\"chart-band\" x=\"{x1:.1}\" y=\"4\" width=\"{:.1}\" height=\"{:.1}\"/><line class=\"chart-band-edge\" x1=\"{x1:.1}\" y1=\"4\" x2=\"{x1:.1}\" y2=\"{:.1}\"/><line class=\"chart-band-edge\" x1=\"{x2:.1}\" y1=\"4\" x2=\"{x2:.1}\" y2=\"{:.1}\"/>",
            (x2 - x1).max(0.0),
            bar_y + bar_h - 4.0 + 6.0,
            bar_y + bar_h + 4.0,
            bar_y + bar_h + 4.0
        );
        let tx = if anchor == "end" { x2 } else { x1 };
        let _ = write!(
            svg,
            "<text class=\"chart-axis-label\" x=\"{tx:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\">{label}</text>",
            bar_y + bar_h + 18.0
        );
    }
    svg.push_str("</svg>");
    let table = DataTable {
        head: ("Level".into(), "Members".into()),
        rows: names
            .iter()
            .zip(counts)
            .map(|(name, n)| {
                (
                    name.to_string(),
                    if total > 0 { format!("{n} ({}%)", (share(n) * 100.0).round() as i64) } else { n.to_string() },
                )
            })
            .collect(),
    };
    figure("levels", &svg, &table)
}

// --- Lorenz curve -----------------------------------------------------------

const LORENZ_SIZE: f64 = 260.0;
const LORENZ_LEFT: f64 = 44.0;
const LORENZ_BOTTOM: f64 = 40.0;
const LORENZ_TOP: f64 = 10.0;
const LORENZ_RIGHT: f64 = 12.0;

/// The Lorenz curve of contributions: people from the least to the most
/// active along the bottom, their cumulative share of contributions up the
/// side, against the diagonal of perfect equality.
pub fn lorenz(id: &str, points: &[(f64, f64)]) -> Chart {
    let id = safe_id(id);
    let mut clean: Vec<(f64, f64)> = points
        .iter()
        .filter(|(x, y)| x.is_finite() && y.is_finite())
        .map(|(x, y)| (x.clamp(0.0, 1.0), y.clamp(0.0, 1.0)))
        .collect();
    clean.sort_by(|a, b| a.0.total_cmp(&b.0));
    let enough = clean.len() >= 2;
    if enough && clean[0] != (0.0, 0.0) {
        clean.insert(0, (0.0, 0.0));
    }
    let title = "Lorenz curve of contributions";
    let desc = if enough {
        let half = share_at(&clean, 0.5);
        let top = 1.0 - share_at(&clean, 0.9);
        format!(
            "The least active half of the people made {}% of the contributions; the most active tenth made {}%. The diagonal is perfect equality.",
            (half * 100.0).round() as i64,
            (top * 100.0).round() as i64
        )
    } else {
        "Not enough data: fewer than two people contributed.".to_string()
    };
    let plot = LORENZ_SIZE - LORENZ_LEFT - LORENZ_RIGHT;
    let height = LORENZ_TOP + plot + LORENZ_BOTTOM;
    let mut svg = String::new();
    svg_open(&mut svg, &id, "chart-svg chart-lorenz-svg", LORENZ_SIZE, height, title, &desc);
    let px = |x: f64| LORENZ_LEFT + x * plot;
    let py = |y: f64| LORENZ_TOP + (1.0 - y) * plot;
    svg.push_str("<g class=\"chart-grid\">");
    for k in 0..=4 {
        let t = k as f64 / 4.0;
        let _ = write!(
            svg,
            "<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\"/><line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\"/>",
            px(0.0),
            py(t),
            px(1.0),
            py(t),
            px(t),
            py(0.0),
            px(t),
            py(1.0)
        );
    }
    svg.push_str("</g><g class=\"chart-axis\">");
    for k in 0..=2 {
        let t = k as f64 / 2.0;
        let label = format!("{}%", (t * 100.0) as i64);
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{label}</text><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"{}\">{label}</text>",
            px(0.0) - 5.0,
            py(t) + 4.0,
            px(t),
            py(0.0) + 15.0,
            match k {
                0 => "start",
                2 => "end",
                _ => "middle",
            }
        );
    }
    let _ = write!(
        svg,
        "<text class=\"chart-axis-label\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">people, least to most active</text></g>",
        px(0.5),
        height - 6.0
    );
    let _ = write!(
        svg,
        "<line class=\"chart-equality\" x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\"/>",
        px(0.0),
        py(0.0),
        px(1.0),
        py(1.0)
    );
    if enough {
        let mut line = String::new();
        for (k, (x, y)) in clean.iter().enumerate() {
            let _ = write!(line, "{}{:.1} {:.1}", if k == 0 { "M" } else { " L" }, px(*x), py(*y));
        }
        // The area between the diagonal and the curve: the inequality.
        let _ = write!(
            svg,
            "<path class=\"chart-gap\" d=\"{line} L{:.1} {:.1} Z\"/><path class=\"chart-line\" d=\"{line}\"/>",
            px(0.0),
            py(0.0)
        );
    } else {
        let _ = write!(
            svg,
            "<text class=\"chart-na\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">Not enough data</text>",
            px(0.5),
            py(0.62)
        );
    }
    svg.push_str("</svg>");
    let table = DataTable {
        head: ("Share of people".into(), "Share of contributions".into()),
        rows: if enough {
            [0.25, 0.5, 0.75, 0.9, 1.0]
                .iter()
                .map(|x| {
                    (
                        format!("least active {}%", (x * 100.0) as i64),
                        format!("{}%", (share_at(&clean, *x) * 100.0).round() as i64),
                    )
                })
                .collect()
        } else {
            Vec::new()
        },
    };
    figure("lorenz", &svg, &table)
}

/// The curve's height at `x`, interpolated between its points.
fn share_at(points: &[(f64, f64)], x: f64) -> f64 {
    let mut previous = (0.0, 0.0);
    for &(px, py) in points {
        if px >= x {
            let span = px - previous.0;
            return if span > 0.0 { previous.1 + (py - previous.1) * (x - previous.0) / span } else { py };
        }
        previous = (px, py);
    }
    previous.1
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small well-formedness check: every tag closes in order, attributes
    /// are quoted, and nothing unescaped sits in text.
    fn assert_balanced(markup: &str) {
        let mut stack: Vec<String> = Vec::new();
        let mut rest = markup;
        while let Some(open) = rest.find('<') {
            let text = &rest[..open];
            assert!(!text.contains('>'), "a stray '>' in text: {text:?}");
            let after = &rest[open + 1..];
            let close = after.find('>').expect("an unclosed tag");
            let tag = &after[..close];
            assert!(!tag.contains('<'), "'<' inside a tag: {tag:?}");
            assert_eq!(tag.matches('"').count() % 2, 0, "unbalanced quotes in {tag:?}");
            if let Some(name) = tag.strip_prefix('/') {
                let top = stack.pop().unwrap_or_else(|| panic!("closing {name} with nothing open"));
                assert_eq!(top, name, "</{name}> closes <{top}>");
            } else if !tag.ends_with('/') {
                let name = tag.split_whitespace().next().unwrap_or_default().to_string();
                stack.push(name);
            }
            rest = &after[close + 1..];
        }
        assert!(!rest.contains('>'), "a stray '>' at the end");
        assert!(stack.is_empty(), "left open: {stack:?}");
        for entity in markup.match_indices('&') {
            let tail = &markup[entity.0..];
            assert!(
                ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"].iter().any(|e| tail.starts_with(e)),
                "a bare '&' at {}",
                entity.0
            );
        }
    }

    fn assert_finite(markup: &str) {
        for bad in ["NaN", "inf", "Infinity"] {
            assert!(!markup.contains(bad), "{bad} in {markup}");
        }
    }

    fn points(values: &[Option<f64>]) -> Vec<TrendPoint> {
        values.iter().enumerate().map(|(i, v)| TrendPoint::new(format!("W{}", i + 1), *v)).collect()
    }

    #[test]
    fn a_trend_has_its_title_description_gridlines_and_last_point() {
        let chart =
            trend("active-weeks", "Active participants", &points(&[Some(3.0), Some(5.0), Some(8.0)]), Unit::Count);
        let html = chart.0;
        assert_balanced(&html);
        assert!(html.contains("<title id=\"active-weeks-t\">Active participants</title>"));
        assert!(html.contains("<desc id=\"active-weeks-d\">From 3 in W1 to 8 in W3; highest 8 in W3.</desc>"));
        assert!(html.contains("aria-labelledby=\"active-weeks-t\""));
        // Axis 0..8 in steps of 2: five gridlines and labels.
        assert_eq!(html.matches("<line ").count(), 5);
        for label in [">0<", ">2<", ">4<", ">6<", ">8<"] {
            assert!(html.contains(label), "axis label {label}");
        }
        // The last point is marked with its value; it sits on the top gridline
        // (8 of 8): y = 18 + 0 = 18.0, x = 340 - 14 = 326.0.
        assert!(html.contains("<circle class=\"chart-last\" cx=\"326.0\" cy=\"18.0\""), "{html}");
        assert!(html.contains("class=\"chart-value\""));
        // The data table repeats the numbers.
        assert!(html.contains("<tr><th scope=\"row\">W2</th><td class=\"num\">5</td></tr>"));
    }

    #[test]
    fn missing_values_are_gaps_not_zeros() {
        let html =
            trend("t", "Attendance rate", &points(&[Some(0.5), Some(0.6), None, Some(0.4), Some(0.45)]), Unit::Share).0;
        assert_balanced(&html);
        assert_finite(&html);
        // Two runs: two lines, two areas.
        assert_eq!(html.matches("class=\"chart-line\"").count(), 2);
        assert_eq!(html.matches("class=\"chart-area\"").count(), 2);
        assert!(html.contains("not enough data in 1 of 5 periods"));
        assert!(html.contains("<td class=\"num\">not enough data</td>"));
        // A share axis stays within 0..100%: max 0.6 -> step 0.2 -> 80%.
        assert!(html.contains(">80%<") && !html.contains(">100%<"), "{html}");
        // A lone value between gaps is a dot.
        let html = trend("t", "x", &points(&[None, Some(2.0), None]), Unit::Count).0;
        assert!(html.contains("class=\"chart-dot\"") || html.contains("class=\"chart-last\""));
        assert_eq!(html.matches("class=\"chart-line\"").count(), 0);
    }

    #[test]
    fn empty_and_degenerate_inputs_never_write_nan() {
        let cases: Vec<Vec<TrendPoint>> = vec![
            vec![],
            points(&[None, None]),
            points(&[Some(0.0), Some(0.0)]),
            points(&[Some(f64::NAN), Some(f64::INFINITY)]),
            points(&[Some(7.0)]),
            points(&[Some(-3.0), Some(1e-12)]),
        ];
        for (k, case) in cases.iter().enumerate() {
            for unit in [Unit::Count, Unit::Share, Unit::Hours, Unit::Suffix("%")] {
                let html = trend(&format!("c{k}"), "Trend", case, unit).0;
                assert_balanced(&html);
                assert_finite(&html);
            }
        }
        let html = trend("e", "Trend", &[], Unit::Count).0;
        assert!(html.contains("Not enough data"));
        let bars_html = bars("b", "Bars", &[], Unit::Count, None).0;
        assert_balanced(&bars_html);
        assert!(bars_html.contains("Not enough data"));
        let html = bars("b", "Bars", &[Bar::new("a", Some(0.0)), Bar::new("b", Some(f64::NAN))], Unit::Share, None).0;
        assert_balanced(&html);
        assert_finite(&html);
        assert!(html.contains("not enough data"));
        for (core, active, peripheral, inactive) in [(0, 0, 0, 0), (1, 0, 0, 0), (0, 0, 0, 5), (-1, 2, 3, 4)] {
            let html = levels("l", core, active, peripheral, inactive).0;
            assert_balanced(&html);
            assert_finite(&html);
        }
        for pts in [vec![], vec![(0.5, 0.5)], vec![(f64::NAN, 0.1), (1.0, 1.0)], vec![(0.0, 0.0), (1.0, 1.0)]] {
            let html = lorenz("z", &pts).0;
            assert_balanced(&html);
            assert_finite(&html);
        }
        assert!(lorenz("z", &[]).0.contains("Not enough data"));
    }

    #[test]
    fn labels_and_titles_are_escaped() {
        let hostile = "<script>alert(\"x\")</script> & 'co'";
        let html = trend("t\"><script>", hostile, &[TrendPoint::new(hostile, Some(1.0))], Unit::Count).0;
        assert_balanced(&html);
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;"));
        // The id is reduced to letters, digits and dashes.
        assert!(html.contains("aria-labelledby=\"t---script--t\""), "{html}");
        let html = bars("b", hostile, &[Bar::new(hostile, Some(2.0)).with_note(hostile)], Unit::Count, None).0;
        assert_balanced(&html);
        assert!(!html.contains("<script>"));
    }

    #[test]
    fn bars_scale_to_the_largest_value_or_the_given_maximum() {
        let rows = [
            Bar::new("Europe", Some(0.41)).with_note("12 of 29"),
            Bar::new("Australia", Some(0.08)),
            Bar::new("Asia", None),
        ];
        let html = bars("regions", "Attendance rate by region", &rows, Unit::Share, Some(1.0)).0;
        assert_balanced(&html);
        // Track: x 106, width 320 - 106 - 70 = 144; 41% of 144 = 59.0.
        assert!(html.contains("width=\"59.0\""), "{html}");
        assert!(html.contains(">41%<") && html.contains(">8%<"));
        assert!(html.contains(">not enough data<"));
        assert!(html.contains("Europe: 41% (12 of 29); Australia: 8%; Asia: not enough data."));
        // Without a maximum, the largest bar fills the track.
        let html = bars("b", "Posts", &[Bar::new("a", Some(4.0)), Bar::new("b", Some(2.0))], Unit::Count, None).0;
        assert!(html.contains("width=\"144.0\"") && html.contains("width=\"72.0\""), "{html}");
    }

    #[test]
    fn levels_mark_the_reference_bands() {
        // 2 core of 20 = 10%; the active band starts at 10% + 15% = 25%.
        let html = levels("lv", 2, 3, 5, 10).0;
        assert_balanced(&html);
        assert!(html.contains("Core 2 (10%), Active 3 (15%), Peripheral 5 (25%), Inactive 10 (50%)"));
        // Core band 10-15% of 400: x 40 to 60; active band 25-30%: 100 to 120.
        assert!(html.contains("<rect class=\"chart-band\" x=\"40.0\" y=\"4\" width=\"20.0\""), "{html}");
        assert!(html.contains("<rect class=\"chart-band\" x=\"100.0\" y=\"4\" width=\"20.0\""), "{html}");
        assert!(html.contains("<rect class=\"level-core\" x=\"0.0\" y=\"14\" width=\"40.0\""));
        assert!(html.contains("<rect class=\"level-active\" x=\"40.0\" y=\"14\" width=\"60.0\""));
    }

    #[test]
    fn lorenz_has_the_equality_diagonal_and_reads_shares() {
        // Four people with 1, 1, 2, 4 contributions.
        let pts = [(0.25, 0.125), (0.5, 0.25), (0.75, 0.5), (1.0, 1.0)];
        let html = lorenz("lz", &pts).0;
        assert_balanced(&html);
        assert!(html.contains("class=\"chart-equality\""));
        assert!(html.contains("least active half of the people made 25%"), "{html}");
        // The top tenth: 1 - share_at(0.9) = 1 - (0.5 + 0.5 * 0.6) = 20%.
        assert!(html.contains("most active tenth made 20%"), "{html}");
        assert!((share_at(&[(0.0, 0.0), (1.0, 1.0)], 0.3) - 0.3).abs() < 1e-12);
    }

    #[test]
    fn numbers_are_written_plainly() {
        assert_eq!(number(12.0), "12");
        assert_eq!(number(3.46), "3.5");
        assert_eq!(number(1250.0), "1,250");
        assert_eq!(number(f64::NAN), "not enough data");
        assert_eq!(Unit::Share.format(0.414), "41%");
        assert_eq!(Unit::Hours.format(1.5), "1.5 h");
        assert_eq!(Unit::Suffix(" sessions").format(9.0), "9 sessions");
        assert_eq!(Unit::Suffix(" threads").format(1.0), "1 thread");
        assert_eq!(Unit::Suffix("%").format(1.0), "1%");
        assert_eq!(nice_step(0.75), 1.0);
        assert_eq!(nice_step(2.1), 2.5);
        assert_eq!(axis(8.0, Unit::Count), (8.0, 2.0));
        assert_eq!(axis(3.0, Unit::Count), (4.0, 1.0));
        assert_eq!(axis(0.0, Unit::Count), (4.0, 1.0));
        assert_eq!(label_indices(12, 5), vec![0, 3, 7, 11]);
        assert_eq!(label_indices(12, 8), vec![0, 5, 11]);
        assert_eq!(label_indices(4, 8), vec![0, 1, 3]);
        assert_eq!(label_indices(3, 8), vec![0, 1, 2]);
    }
}
