//! The `copse` binary as a person runs it: subcommands, configuration and
//! clear errors. Runs on SQLite files in a temporary directory.

use std::path::PathBuf;
use std::process::{Command, Output};

fn copse(dir: &PathBuf, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_copse"));
    command
        .current_dir(dir)
        .args(args)
        .env_remove("COPSE_DATABASE_URL")
        .env_remove("COPSE_CONFIG")
        .env("COPSE_LOG", "warn");
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().expect("copse runs")
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("copse-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn text(output: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

#[test]
fn default_config_prints_a_commented_example() {
    let dir = temp_dir("config");
    let out = copse(&dir, &["default-config"], &[]);
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("database_url = \"sqlite://./copse-data/copse.db\""));
    assert!(stdout.contains("# Address and port to listen on."));
}

#[test]
fn an_unknown_database_scheme_is_an_error_and_creates_nothing() {
    let dir = temp_dir("scheme");
    let out = copse(&dir, &["--database-url", "mysql://localhost/copse", "migrate"], &[]);
    assert!(!out.status.success());
    assert!(text(&out).contains("unsupported database URL scheme 'mysql'"), "{}", text(&out));
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0, "no file was created");
}

#[test]
fn migrate_creates_the_default_database_and_create_user_makes_an_account() {
    let dir = temp_dir("migrate");
    let out = copse(&dir, &["migrate"], &[]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(dir.join("copse-data/copse.db").exists(), "the default SQLite file");

    let out = copse(
        &dir,
        &["admin", "create-user", "ada", "--name", "Ada Admin", "--admin"],
        &[("COPSE_NEW_PASSWORD", "long enough pw")],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("Created ada (administrator)"));

    let again =
        copse(&dir, &["admin", "create-user", "ada", "--name", "Other"], &[("COPSE_NEW_PASSWORD", "long enough pw")]);
    assert!(!again.status.success());
    assert!(text(&again).contains("that handle is taken"), "{}", text(&again));

    let bad = copse(&dir, &["admin", "create-user", "x y", "--name", "X"], &[("COPSE_NEW_PASSWORD", "short")]);
    assert!(!bad.status.success());
    let message = text(&bad);
    assert!(message.contains("handle") && message.contains("password"), "{message}");

    let out = copse(&dir, &["admin", "set-org-name", "Acme Labs"], &[]);
    assert!(out.status.success(), "{}", text(&out));
    let out = copse(&dir, &["admin", "set-org-name", "  "], &[]);
    assert!(!out.status.success());
    assert!(text(&out).contains("name is required"), "{}", text(&out));

    let out = copse(&dir, &["admin", "generate", "--scale", "10"], &[]);
    assert!(!out.status.success(), "generate refuses a database with people in it");
    assert!(text(&out).contains("already holds people"));
}

#[test]
fn generate_fills_an_empty_database_and_backup_copies_it() {
    let dir = temp_dir("generate");
    let out = copse(&dir, &["admin", "generate", "--scale", "200"], &[]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("Generated 204 people"), "{}", text(&out));
    let out = copse(&dir, &["backup", "copy.db"], &[]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(dir.join("copy.db").metadata().unwrap().len() > 0);
    let out = copse(&dir, &["backup", "copy.db"], &[]);
    assert!(!out.status.success(), "an existing file is not overwritten");
}

#[test]
fn configuration_errors_name_the_setting() {
    let dir = temp_dir("badconfig");
    std::fs::write(dir.join("copse.toml"), "listen = 8080\n").unwrap();
    let out = copse(&dir, &["migrate"], &[]);
    assert!(!out.status.success());
    assert!(text(&out).contains("copse.toml is not valid"), "{}", text(&out));
    std::fs::remove_file(dir.join("copse.toml")).unwrap();
    let out = copse(&dir, &["migrate"], &[("COPSE_SESSION_DAYS", "forever")]);
    assert!(!out.status.success());
    assert!(text(&out).contains("COPSE_SESSION_DAYS=forever"), "{}", text(&out));
}

#[cfg(unix)]
#[test]
fn serve_answers_health_checks_and_stops_cleanly_on_sigterm() {
    use std::io::{Read, Write};
    use std::net::TcpStream;
    use std::time::{Duration, Instant};

    let dir = temp_dir("serve");
    // Port 0 is not offered by the CLI, so pick a free one the OS gives us.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let listen = format!("127.0.0.1:{port}");
    let mut child = Command::new(env!("CARGO_BIN_EXE_copse"))
        .current_dir(&dir)
        .args(["serve", "--listen", &listen])
        .env_remove("COPSE_DATABASE_URL")
        .env("COPSE_LOG", "info")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("copse serve starts");
    let started = Instant::now();
    let mut response = String::new();
    while started.elapsed() < Duration::from_secs(30) {
        if let Ok(mut stream) = TcpStream::connect(&listen) {
            stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
            stream.read_to_string(&mut response).unwrap();
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(response.starts_with("HTTP/1.1 200"), "healthz: {response}");
    let status = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(status.success());
    let waited = Instant::now();
    let exit = loop {
        if let Some(exit) = child.try_wait().unwrap() {
            break exit;
        }
        assert!(waited.elapsed() < Duration::from_secs(15), "copse did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut log = String::new();
    child.stderr.take().unwrap().read_to_string(&mut log).unwrap();
    assert!(exit.success(), "exit {exit:?}: {log}");
    assert!(log.contains("shutting down") && log.contains("copse stopped"), "{log}");
}
