//! `preflight serve`: the stand-in provider server and gate (the
//! `preflight-server` crate), started from the command line.

use crate::{config, display, error_text, sandeza, templates};
use anyhow::{Context, Result, bail};
use preflight::Options;
use preflight_server::{Config, OnInvalid};
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// `preflight serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// The address to listen on; port 0 picks a free port (the first line on
    /// stdout, `listening on http://ADDR`, says which).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:4010")]
    listen: SocketAddr,
    /// The config file (default: the preflight.toml of the current directory
    /// or a parent): rule levels, templates.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Templates files or directories (Meta's `message_templates` export):
    /// every template send is checked against them.
    #[arg(long, value_name = "PATH", num_args = 1..)]
    templates: Vec<PathBuf>,
    /// Append every request's record (masked) to this NDJSON file.
    #[arg(long, value_name = "FILE.ndjson")]
    record: Option<PathBuf>,
    /// How many records `GET /__preflight/requests` keeps (older ones are
    /// dropped and counted).
    #[arg(long, value_name = "N", default_value_t = 10_000)]
    ring: usize,
    /// What a request with an error finding gets: `reject` (the provider's
    /// error answer), `accept` (the success answer; the findings are only
    /// recorded), `forward` (gate mode: sent upstream anyway).
    #[arg(long, value_enum, default_value_t = OnInvalidArg::Reject)]
    on_invalid: OnInvalidArg,
    /// Exit 0 at shutdown even when a request had an error finding.
    #[arg(long)]
    exit_zero: bool,
    /// Gate mode for one provider: forward its valid requests, unchanged, to
    /// the real provider at this base URL and pass its answer back (read
    /// whole up to 1 MiB, so a broken-off answer is a 502, not a cut-off 200)
    /// (`--upstream sandeza=https://…`; repeat for more providers). Invalid
    /// requests are answered here and never forwarded, unless
    /// `--on-invalid forward`.
    #[arg(long, value_name = "PROVIDER=URL")]
    upstream: Vec<String>,
    /// Seconds an upstream has to answer a forwarded request; past it the
    /// client gets a 504 in the provider's error shape. Never retried.
    #[arg(long, value_name = "SECS", default_value_t = 30)]
    upstream_timeout: u64,
    /// POST the chatbot gateway's status callbacks (`{"msgid", "ack"}`, ack
    /// 1, 2, 3) to each valid send's `notifyurl`, as the gateway does: only
    /// to loopback hosts unless `--callback-allow` names others.
    #[arg(long)]
    callbacks: bool,
    /// A host callbacks may go to beside loopback (repeatable).
    #[arg(long, value_name = "HOST", requires = "callbacks")]
    callback_allow: Vec<String>,
    /// Milliseconds before each status callback.
    #[arg(long, value_name = "MS", default_value_t = 200, requires = "callbacks")]
    callback_delay: u64,
    /// The largest request body read, in bytes; a larger one is answered
    /// 413 without being read.
    #[arg(long, value_name = "BYTES", default_value_t = preflight::MAX_PAYLOAD_BYTES)]
    max_body: usize,
    /// Seconds a client may take to send a request's head, and then its body.
    #[arg(long, value_name = "SECS", default_value_t = 10)]
    client_timeout: u64,
    /// The Sandeza account password: each Sandeza `signature` is checked
    /// against it. Never printed or recorded.
    #[arg(
        long,
        env = sandeza::PASSWORD_ENV,
        value_name = "PASSWORD",
        hide_env_values = true
    )]
    sandeza_password: Option<preflight::types::sandeza::Password>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum OnInvalidArg {
    Reject,
    Accept,
    Forward,
}

/// Runs the server until SIGINT or SIGTERM. Exit status: 0, or 1 when a
/// request had an error finding (unless `--exit-zero`); 2 when it cannot start.
pub fn run(args: ServeArgs, stdout: &mut dyn Write) -> Result<u8> {
    let cwd = std::env::current_dir()?;
    let loaded = config::load(args.config.as_deref(), &cwd)?;
    let mut options = Options::default();
    options.sandeza_password = args
        .sandeza_password
        .as_ref()
        .map(|p| p.expose().to_string());
    if let Some(l) = &loaded {
        options.levels = l.levels();
        options.credentials = l.credentials()?;
    }
    let mut template_paths = args.templates.clone();
    if template_paths.is_empty()
        && let Some(l) = &loaded
    {
        template_paths = l.template_files();
    }
    if !template_paths.is_empty() {
        let read = templates::load(&template_paths, loaded.as_ref(), &options)?;
        if read.failed {
            let names: Vec<&str> = read.reports.iter().map(|r| r.path.as_str()).collect();
            bail!(
                "the templates files have errors ({}); run `preflight templates check` on them",
                names.join(", ")
            );
        }
        eprintln!("{}", read.describe());
        options.templates = Some(read.templates);
    }
    if let Some(record) = &args.record {
        eprintln!("recording to {}", display(record));
    }

    let mut server = Config::default();
    server.options = options;
    server.on_invalid = match args.on_invalid {
        OnInvalidArg::Reject => OnInvalid::Reject,
        OnInvalidArg::Accept => OnInvalid::Accept,
        OnInvalidArg::Forward => OnInvalid::Forward,
    };
    server.record = args.record.clone();
    server.ring = args.ring;
    server.max_body = args.max_body;
    server.client_timeout = Duration::from_secs(args.client_timeout.max(1));
    server.upstreams = preflight_server::gate::Upstream::parse_all(&args.upstream)?;
    server.upstream_timeout = Duration::from_secs(args.upstream_timeout.max(1));
    if args.callbacks {
        server.callbacks = Some(preflight_server::CallbackConfig::new(
            args.callback_allow.clone(),
            Duration::from_millis(args.callback_delay),
        ));
    }
    for upstream in &server.upstreams {
        eprintln!(
            "gate: {} requests go to {} when they pass",
            upstream.provider,
            upstream.base.host().unwrap_or_default()
        );
    }

    // A worker takes in new I/O readiness only after this many task polls
    // (tokio's default is 61) or when its queue runs dry: every connection
    // already woken is served before a newly woken one can go first, which
    // keeps the slowest request's wait down under load (p99 at 64
    // connections ~5.5 → ~4.2 ms, docs/performance.md). Timers are polled
    // with I/O, so a timeout can fire that many polls late: milliseconds.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .event_interval(300)
        .build()
        .context("starting the server's runtime")?;
    let outcome = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(args.listen)
            .await
            .with_context(|| format!("cannot listen on {}", args.listen))?;
        let addr = listener.local_addr()?;
        // Installed before the address is announced: a stop sent right after it is kept.
        let stop = preflight_server::stop_signal();
        writeln!(stdout, "listening on http://{addr}")?;
        stdout.flush()?;
        let outcome = preflight_server::serve(listener, server, stop).await?;
        anyhow::Ok(outcome)
    });
    let outcome = match outcome {
        Ok(outcome) => outcome,
        Err(e) => {
            eprintln!("error: {}", error_text(&e));
            return Ok(2);
        }
    };
    eprintln!(
        "preflight serve: {} requests{}",
        outcome.requests,
        if outcome.any_error {
            ", some with error findings (GET /__preflight/requests?errors=true lists them)"
        } else {
            ""
        }
    );
    Ok(u8::from(outcome.any_error && !args.exit_zero))
}
