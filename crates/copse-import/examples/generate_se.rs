//! Writes a generated Stack Exchange dump for the import benchmark:
//! `cargo run --release -p copse-import --example generate_se -- <dir> <posts> [seed]`.

use copse_import::generate::write_stackexchange_dump;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(dir), Some(posts)) = (args.first(), args.get(1).and_then(|n| n.parse::<u64>().ok())) else {
        eprintln!("usage: generate_se <dir> <posts> [seed]");
        return ExitCode::from(2);
    };
    let seed = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1);
    let started = Instant::now();
    match write_stackexchange_dump(&PathBuf::from(dir), posts, seed) {
        Ok(dump) => {
            println!(
                "wrote {dir}: {} users, {} questions, {} answers ({} accepted), {} comments, {} other posts, \
                 {:.1} MB in {:.1} s",
                dump.users,
                dump.questions,
                dump.answers,
                dump.accepted,
                dump.comments,
                dump.other_posts,
                dump.bytes as f64 / 1e6,
                started.elapsed().as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("{dir}: {error}");
            ExitCode::FAILURE
        }
    }
}
