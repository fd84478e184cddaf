//! The `copse` binary: command-line parsing, configuration, logging, and the
//! subcommands (serve, demo, migrate, admin, default-config, backup). It wires
//! the store, the app and the web router together and owns process concerns:
//! signals, graceful shutdown, progress bars.

mod config;

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use copse_app::{App, AppConfig, NewAccount, Store, StoreOptions, demo};
use indicatif::{ProgressBar, ProgressStyle};
use tracing_subscriber::EnvFilter;

use crate::config::{Config, LogFormat};

#[derive(Parser)]
#[command(name = "copse", version, about = "A self-hosted platform for Communities of Practice")]
struct Cli {
    /// Configuration file (default: ./copse.toml if present).
    #[arg(long, global = true, env = "COPSE_CONFIG")]
    config: Option<PathBuf>,
    /// Database URL: sqlite://PATH or postgres://... (overrides the config file).
    #[arg(long, global = true)]
    database_url: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web application and API.
    Serve {
        /// Address to listen on (default 127.0.0.1:8080).
        #[arg(long)]
        listen: Option<String>,
    },
    /// Load the demo organization (once) and serve it.
    Demo {
        #[arg(long)]
        listen: Option<String>,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Administrative tasks.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Print a commented example configuration file.
    DefaultConfig,
    /// Drop this process's search index and rebuild it from the database
    /// (stop `copse serve` using the same index directory first).
    Reindex,
    /// Write a consistent copy of a SQLite database while copse runs.
    Backup {
        /// Where to write the copy (must not exist).
        path: PathBuf,
    },
    /// Bring a community's existing history in: git (a repository or a
    /// bundle), mbox, slack (a workspace export .zip), stackexchange (a data
    /// dump directory) or people-csv (name, email, team, location,
    /// time_zone, skills). The input is checked whole before anything is
    /// written; importing the same data again changes nothing, and an
    /// interrupted import resumes when run again.
    Import {
        /// git | mbox | slack | stackexchange | people-csv
        source: String,
        /// The file or directory to read.
        path: PathBuf,
        /// The community (slug) the history belongs to.
        #[arg(long)]
        community: String,
    },
    /// Measuring and diagnosing communities.
    Insight {
        #[command(subcommand)]
        command: InsightCommand,
    },
}

#[derive(Subcommand)]
enum InsightCommand {
    /// Rebuild the activity rollups from the activity record, then check
    /// every community (metrics, alerts, stage evidence).
    Recompute,
    /// Print the key metrics of every community, one JSON object per line:
    /// the last 12 months and the newcomer cohorts.
    Metrics {
        /// Print JSON lines (the only format).
        #[arg(long)]
        json: bool,
        /// Compute as of this instant (RFC 3339) instead of now.
        #[arg(long)]
        at: Option<String>,
    },
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create a person with a local account. Reads the password from
    /// COPSE_NEW_PASSWORD or asks for it on standard input.
    CreateUser {
        handle: String,
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "")]
        email: String,
        /// Make the person an organization administrator.
        #[arg(long)]
        admin: bool,
    },
    /// Set the organization's name shown on every page (running servers pick
    /// it up when they restart).
    SetOrgName { name: String },
    /// Start a community (open to all, stage potential) facilitated by an
    /// existing person, e.g. to import a history into it.
    CreateCommunity {
        /// The community's address: lower-case letters, digits and dashes.
        slug: String,
        #[arg(long)]
        name: String,
        /// Handle of the person who starts and facilitates it.
        #[arg(long)]
        facilitator: String,
        /// What the community is for (its charter's purpose).
        #[arg(long, default_value = "A community of practice whose history was brought into copse.")]
        purpose: String,
    },
    /// Fill an empty database with a generated organization, for benchmarks.
    Generate {
        /// Number of people (communities scale with it: one per 50 people).
        #[arg(long)]
        scale: u64,
        /// Discussion posts to generate over those communities (about 20 per
        /// thread), for search and thread-page benchmarks.
        #[arg(long, default_value_t = 0)]
        posts: u64,
        /// Total activity records to reach on top of the organization
        /// (spread over two years, heavy-tailed), for insight benchmarks.
        #[arg(long, default_value_t = 0)]
        contributions: u64,
    },
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    if let Command::DefaultConfig = cli.command {
        print!("{}", config::EXAMPLE);
        return Ok(());
    }
    let mut config = Config::load(cli.config.as_deref(), |k| std::env::var(k).ok())?;
    if let Some(url) = cli.database_url {
        config.database_url = url;
    }
    init_logging(config.log_format);
    let runtime =
        tokio::runtime::Builder::new_multi_thread().enable_all().build().context("cannot start the runtime")?;
    runtime.block_on(run(cli.command, config))
}

fn init_logging(format: LogFormat) {
    let filter = EnvFilter::try_from_env("COPSE_LOG").unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    match format {
        LogFormat::Human => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}

async fn open(config: &Config) -> Result<App> {
    let store = Store::connect(
        &config.database_url,
        &StoreOptions { max_connections: config.max_connections, create_if_missing: true },
    )
    .await
    .with_context(|| format!("cannot open the database ({})", redacted(&config.database_url)))?;
    let applied = store.migrate().await.context("cannot migrate the database")?;
    if !applied.is_empty() {
        tracing::info!(migrations = ?applied, "database migrated");
    }
    let app_config = AppConfig {
        session_days: config.session_days,
        secure_cookies: config.secure_cookies,
        search_index_dir: Some(config.search_index_path()),
        import_upload_dir: Some(config.import_upload_path()),
        ..AppConfig::default()
    };
    Ok(App::new(store, app_config).await?)
}

fn redacted(url: &str) -> String {
    format!("{:?}", Config { database_url: url.to_string(), ..Config::default() })
        .split("database_url: \"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or("")
        .to_string()
}

async fn run(command: Command, mut config: Config) -> Result<()> {
    match command {
        Command::Serve { listen } => {
            if let Some(listen) = listen {
                config.listen = listen;
            }
            let app = open(&config).await?;
            serve(app, &config.listen).await
        }
        Command::Demo { listen } => {
            if let Some(listen) = listen {
                config.listen = listen;
            }
            let mut app = open(&config).await?;
            if demo::is_loaded(&app).await? {
                eprintln!("The database already has an organization; serving it as it is.");
            } else {
                let bar = progress_bar();
                let report = |phase: &str, done: u64, total: u64| report(&bar, phase, done, total);
                let summary = demo::load_demo(&app, &report).await?;
                bar.finish_and_clear();
                eprintln!(
                    "Loaded the demo organization: {} people, {} communities, {} memberships, {} contributions, \
                     {} event series, {} threads with {} posts, {} artifacts.",
                    summary.people,
                    summary.communities,
                    summary.memberships,
                    summary.contributions,
                    summary.events,
                    summary.threads,
                    summary.posts,
                    summary.artifacts
                );
                // The app read organization settings when it started; open it
                // again so it serves the demo organization's (closing the
                // first, which holds the search index's writer lock).
                app.store().close().await;
                drop(app);
                app = open(&config).await?;
                // Metrics, alerts and stage evidence for every community
                // before the first page is served.
                let checked = app.recompute_insights(&|_, _| {}).await.context("insight check failed")?;
                eprintln!("Checked the insight of {} communities.", checked.communities);
            }
            let url = format!("http://{}/login", config.listen);
            eprintln!("\nSign in at {url} as one of:");
            for (handle, what) in demo::DEMO_ACCOUNTS {
                eprintln!("  {handle:<8} ({what})");
            }
            eprintln!("Password for every demo account: {}\n", demo::DEMO_PASSWORD);
            serve(app, &config.listen).await
        }
        Command::Import { source, path, community } => {
            let Some(source) = copse_import::Source::parse(&source) else {
                let names: Vec<&str> = copse_import::Source::ALL.iter().map(|s| s.name()).collect();
                bail!("'{source}' is not a source; use one of: {}", names.join(", "));
            };
            if !path.exists() {
                bail!("{}: no such file or directory ({})", path.display(), source.describe());
            }
            let app = open(&config).await?;
            let progress = std::sync::Arc::new(TerminalProgress { bar: progress_bar() });
            let request = copse_app::ImportRequest {
                source,
                path: path.clone(),
                community,
                input_label: None,
                requested_by: None,
            };
            let outcome = app.import(None, request, progress.clone()).await;
            progress.bar.finish_and_clear();
            let done = match outcome {
                Ok(done) => done,
                Err(error) => {
                    app.store().close().await;
                    bail!("import failed, nothing of the failing batch was written: {error}");
                }
            };
            for warning in done.warnings.iter().take(20) {
                eprintln!("warning: {warning}");
            }
            if done.warnings.len() > 20 {
                eprintln!(
                    "... and {} more warnings (all are kept with the run in the admin UI)",
                    done.warnings.len() - 20
                );
            }
            eprintln!(
                "Imported {} records from {} in {:.1} s: {} new, {} already there, {} people created (run {}).",
                done.records,
                path.display(),
                done.millis as f64 / 1000.0,
                done.added,
                done.already,
                done.people_created,
                done.run
            );
            app.store().close().await;
            Ok(())
        }
        Command::Insight { command: InsightCommand::Recompute } => {
            let app = open(&config).await?;
            let bar = progress_bar();
            let started = std::time::Instant::now();
            bar.set_message("rollups");
            let done = app
                .recompute_insights(&|done, total| report(&bar, "communities", done, total))
                .await
                .context("insight recompute failed")?;
            bar.finish_and_clear();
            eprintln!(
                "Rebuilt {} daily rollup rows and {} interaction rows, checked {} communities in {:.1} s.",
                done.daily_rows,
                done.pair_rows,
                done.communities,
                started.elapsed().as_secs_f64()
            );
            app.store().close().await;
            Ok(())
        }
        Command::Insight { command: InsightCommand::Metrics { json, at } } => {
            if !json {
                bail!("`copse insight metrics` prints JSON lines: add --json");
            }
            let at = match at {
                Some(text) => Some(copse_app::parse_instant(&text).map_err(|e| anyhow::anyhow!("--at: {e}"))?),
                None => None,
            };
            let app = open(&config).await?;
            let rows = app.insight_metrics_export(at).await.context("insight metrics failed")?;
            let mut out = std::io::stdout().lock();
            for row in &rows {
                std::io::Write::write_all(&mut out, format!("{}\n", json_line(row)).as_bytes())?;
            }
            app.store().close().await;
            Ok(())
        }
        Command::Migrate => {
            let app = open(&config).await?;
            app.store().close().await;
            eprintln!("Database is up to date.");
            Ok(())
        }
        Command::Admin { command: AdminCommand::CreateUser { handle, name, email, admin } } => {
            let password = match std::env::var("COPSE_NEW_PASSWORD") {
                Ok(p) => p,
                Err(_) => {
                    eprint!("Password for {handle}: ");
                    let mut line = String::new();
                    std::io::stdin().read_line(&mut line).context("cannot read the password")?;
                    line.trim_end_matches(['\r', '\n']).to_string()
                }
            };
            let app = open(&config).await?;
            let account = NewAccount { handle: handle.clone(), name, email, password, admin };
            match app.create_account(&account).await {
                Ok(_) => {
                    eprintln!("Created {handle}{}.", if admin { " (administrator)" } else { "" });
                    Ok(())
                }
                Err(copse_app::AppError::Invalid(errors)) => bail!("cannot create {handle}: {errors}"),
                Err(error) => bail!("cannot create {handle}: {error}"),
            }
        }
        Command::Admin { command: AdminCommand::CreateCommunity { slug, name, facilitator, purpose } } => {
            let app = open(&config).await?;
            let Some(person) = app.store().find_person_by_handle(&facilitator).await? else {
                bail!("there is no person '{facilitator}'; create one with `copse admin create-user` first");
            };
            let viewer = copse_app::Viewer {
                actor: copse_domain::Actor::person(
                    copse_domain::PersonId(person.id),
                    copse_domain::OrgRole::parse(&person.org_role).unwrap_or(copse_domain::OrgRole::Member),
                ),
                handle: person.handle.clone(),
                name: person.name.clone(),
                time_zone: copse_domain::TimeZone::utc(),
            };
            let input = copse_domain::CommunityInput {
                name,
                slug,
                domain: "Practice".into(),
                kind: "technical-practice".into(),
                visibility: "open".into(),
                purpose,
                ..Default::default()
            };
            match app.create_community(&viewer, &input).await {
                Ok(view) => eprintln!("Created {} ({}), facilitated by {facilitator}.", view.name, view.slug),
                Err(error) => bail!("cannot create the community: {error}"),
            }
            app.store().close().await;
            Ok(())
        }
        Command::Admin { command: AdminCommand::SetOrgName { name } } => {
            let name = copse_domain::parse_name(&name, "The organization's name", 80).map_err(anyhow::Error::msg)?;
            let app = open(&config).await?;
            app.store().set_setting("org_name", &name).await?;
            eprintln!("The organization is now called {name}; restart running servers to show it.");
            Ok(())
        }
        Command::Admin { command: AdminCommand::Generate { scale, posts, contributions } } => {
            if scale == 0 {
                bail!("--scale must be at least 1");
            }
            let app = open(&config).await?;
            if demo::is_loaded(&app).await? {
                bail!("the database already holds people; generate into an empty database");
            }
            let bar = progress_bar();
            let report = |phase: &str, done: u64, total: u64| report(&bar, phase, done, total);
            let started = std::time::Instant::now();
            let summary = demo::generate_scale_with_posts(&app, scale, posts, &report).await?;
            let organization_seconds = started.elapsed().as_secs_f64();
            let activity = copse_app::scale_activity::generate_activity(&app, contributions, &report).await?;
            bar.finish_and_clear();
            eprintln!(
                "Generated {} people, {} communities, {} memberships, {} contributions, {} threads, {} posts in {:.1} s.",
                summary.people,
                summary.communities,
                summary.memberships,
                summary.contributions,
                summary.threads,
                summary.posts,
                organization_seconds
            );
            if activity.inserted > 0 {
                eprintln!(
                    "Added {} activity records ({} in all) in {:.1} s: {:.0} records/s, rollup triggers included.",
                    activity.inserted,
                    activity.total,
                    activity.seconds,
                    activity.rate()
                );
            }
            Ok(())
        }
        Command::Backup { path } => {
            if path.exists() {
                bail!("{} exists already; choose a new file", path.display());
            }
            let app = open(&config).await?;
            let target = path.to_str().context("the backup path is not valid UTF-8")?;
            app.store().backup_to(target).await.context("backup failed")?;
            eprintln!("Wrote {}.", path.display());
            Ok(())
        }
        Command::Reindex => {
            let app = open(&config).await?;
            let bar = progress_bar();
            let started = std::time::Instant::now();
            let documents = app
                .reindex(&mut |p| report(&bar, p.doc_type.as_str(), p.documents, p.total))
                .await
                .context("reindex failed")?;
            bar.finish_and_clear();
            let seconds = started.elapsed().as_secs_f64();
            eprintln!(
                "Indexed {documents} documents in {seconds:.1} s ({:.0} documents/s) into {}.",
                documents as f64 / seconds.max(0.001),
                config.search_index_path().display()
            );
            Ok(())
        }
        Command::DefaultConfig => Ok(()),
    }
}

fn progress_bar() -> ProgressBar {
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{msg:>14} [{bar:40}] {pos}/{len} ({eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar
}

fn report(bar: &ProgressBar, phase: &str, done: u64, total: u64) {
    if bar.message() != phase {
        bar.set_message(phase.to_string());
    }
    bar.set_length(total);
    bar.set_position(done);
}

/// An import's progress on the terminal: one bar per phase.
struct TerminalProgress {
    bar: ProgressBar,
}

impl copse_app::ImportProgress for TerminalProgress {
    fn phase(&self, name: &str, total: Option<u64>) {
        self.bar.set_message(name.to_string());
        self.bar.set_length(total.unwrap_or(0));
        self.bar.set_position(0);
    }

    fn advance(&self, done: u64, total: Option<u64>) {
        if let Some(total) = total {
            self.bar.set_length(total);
        }
        self.bar.set_position(done);
    }
}

/// A JSON string literal.
fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A number or `null`.
fn json_number(value: Option<f64>) -> String {
    match value {
        Some(v) if v.is_finite() => format!("{v}"),
        _ => "null".into(),
    }
}

/// One line of `copse insight metrics --json`.
fn json_line(row: &copse_app::MetricExportRow) -> String {
    match row {
        copse_app::MetricExportRow::Month {
            community,
            start,
            active_participants,
            gini,
            absence_factor,
            median_hours_to_first_response,
        } => format!(
            "{{\"community\":{},\"period\":\"month\",\"start\":{},\"active_participants\":{},\"gini\":{},\
             \"absence_factor\":{},\"median_hours_to_first_response\":{}}}",
            json_string(community),
            json_string(start),
            active_participants,
            json_number(*gini),
            json_number(*absence_factor),
            json_number(*median_hours_to_first_response)
        ),
        copse_app::MetricExportRow::Cohort { community, cohort, joined, active_month_1, active_month_3 } => format!(
            "{{\"community\":{},\"cohort\":{},\"joined\":{},\"active_month_1\":{},\"active_month_3\":{}}}",
            json_string(community),
            json_string(cohort),
            joined,
            json_number(*active_month_1),
            json_number(*active_month_3)
        ),
    }
}

/// Keeps insight current: every `period`, checks the communities whose
/// activity or definition changed (alerts open and resolve as data arrives).
fn spawn_insight_worker(app: App, period: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(period);
        loop {
            ticks.tick().await;
            match app.check_insights(50).await {
                Ok(0) => {}
                Ok(checked) => tracing::debug!(checked, "checked community insight"),
                Err(error) => tracing::warn!(%error, "could not check community insight"),
            }
        }
    })
}

/// Runs imports queued from the admin UI, one at a time, checking every
/// `period`; a run whose process died is marked interrupted.
fn spawn_import_worker(app: App, period: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(period);
        loop {
            ticks.tick().await;
            match app.run_queued_imports().await {
                Ok(0) => {}
                Ok(ran) => tracing::info!(ran, "ran queued imports"),
                Err(error) => tracing::warn!(%error, "could not run queued imports"),
            }
        }
    })
}

/// Tells owners of artifacts whose review-by date has passed, once per
/// artifact, every `period` (each artifact is claimed in the database, so
/// several processes never tell twice).
fn spawn_stale_flagger(app: App, period: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(period);
        loop {
            ticks.tick().await;
            match app.flag_stale_artifacts(copse_domain::Timestamp::now()).await {
                Ok(0) => {}
                Ok(flagged) => tracing::info!(flagged, "told owners about artifacts due for review"),
                Err(error) => tracing::warn!(%error, "could not flag stale artifacts"),
            }
        }
    })
}

async fn serve(app: App, listen: &str) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(listen).await.with_context(|| format!("cannot listen on {listen}"))?;
    let address = listener.local_addr()?;
    tracing::info!(%address, backend = ?app.store().backend(), "copse is serving");
    // The search index follows the database's change feed every second (the
    // first round builds it if it is new).
    let indexer = app.spawn_indexer(Duration::from_secs(1));
    let stale_flagger = spawn_stale_flagger(app.clone(), Duration::from_secs(3600));
    // Expertise follows the change feed every few seconds; unanswered
    // questions are routed once a minute (each claimed in the database).
    let expertise = app.spawn_expertise_follower(Duration::from_secs(5));
    let question_router = app.spawn_question_router(Duration::from_secs(60));
    let insight_worker = spawn_insight_worker(app.clone(), Duration::from_secs(30));
    let import_worker = spawn_import_worker(app.clone(), Duration::from_secs(2));
    let store = app.store().clone();
    let router = copse_web::router(app);
    axum::serve(listener, router.into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await
        .context("server failed")?;
    indexer.abort();
    stale_flagger.abort();
    expertise.abort();
    question_router.abort();
    insight_worker.abort();
    import_worker.abort();
    // Let in-flight queries finish before the process exits.
    tokio::time::timeout(Duration::from_secs(10), store.close()).await.ok();
    tracing::info!("copse stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        tokio::signal::ctrl_c().await.ok();
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
