//! Reads a Stack Exchange dump directory into a counting sink and prints the
//! throughput and the peak memory of the process:
//! `cargo run --release -p copse-import --example read_se -- <dir>`.

use copse_import::stackexchange::StackExchangeImporter;
use copse_import::{CountSink, Importer, Record, Sink};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// [`CountSink`] plus a count of questions and answers, for posts/s.
#[derive(Default)]
struct Counts {
    all: CountSink,
    posts: u64,
}

impl Sink for Counts {
    fn record(&mut self, record: Record) -> Result<(), String> {
        if matches!(record, Record::Thread(_) | Record::Post(_)) {
            self.posts += 1;
        }
        self.all.record(record)
    }
}

/// Peak resident memory (VmHWM) in kB, from /proc/self/status.
fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() -> ExitCode {
    let Some(dir) = std::env::args().nth(1).map(PathBuf::from) else {
        eprintln!("usage: read_se <dump dir>");
        return ExitCode::from(2);
    };
    let mut sink = Counts::default();
    let started = Instant::now();
    let summary = match StackExchangeImporter::default().read(&dir, &mut sink) {
        Ok(summary) => summary,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::FAILURE;
        }
    };
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{} records ({} questions and answers) in {seconds:.2} s: {:.0} posts/s, {:.0} records/s; \
         peak RSS {} MB",
        sink.all.records,
        sink.posts,
        sink.posts as f64 / seconds,
        sink.all.records as f64 / seconds,
        peak_rss_kb().map_or("?".to_string(), |kb| format!("{:.1}", kb as f64 / 1024.0))
    );
    for warning in summary.warnings {
        println!("warning: {warning}");
    }
    ExitCode::SUCCESS
}
