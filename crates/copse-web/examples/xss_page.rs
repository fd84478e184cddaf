//! Writes the hostile-Markdown corpus, rendered by copse's Markdown renderer,
//! into one HTML page with NO Content-Security-Policy, so the browser test
//! (`tests/browser/xss.py`) can check in real Chromium that the sanitizer
//! alone stops every vector; CSP is a second wall, not the one relied on.
//!
//!     cargo run -p copse-web --example xss_page -- tests/xss/vectors.txt OUT.html

use std::fmt::Write as _;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let (Some(corpus), Some(out)) = (args.next(), args.next()) else {
        eprintln!("usage: xss_page VECTORS.txt OUT.html");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(&corpus)?;
    let mut page = String::from(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>xss corpus</title>\n\
         <script>window.__xss = [];\
         for (const f of ['alert', 'confirm', 'prompt', 'print']) { window[f] = (x) => { window.__xss.push(f + ':' + x); }; }\
         </script></head><body>\n",
    );
    let mut count = 0;
    for entry in text.split("\n%%\n").skip(1) {
        let entry = entry.trim_end_matches('\n');
        if entry.trim().is_empty() {
            continue;
        }
        count += 1;
        let _ = writeln!(
            page,
            "<section class=\"vector\" data-n=\"{count}\">{}</section>",
            copse_web::markdown::render(entry)
        );
    }
    page.push_str("</body></html>\n");
    std::fs::write(&out, page)?;
    eprintln!("wrote {count} rendered vectors to {out}");
    Ok(())
}
