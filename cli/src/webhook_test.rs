//! `preflight webhook-test URL --keyword K --data TEXT`: plays the chatbot
//! gateway against the user's keyword webhook. The documented keyword
//! webhook body is POSTed to URL (by `preflight_server::webhook_test`) and
//! the reply checked as `chatbot/webhook-reply`, reported as `validate`
//! reports a file, the URL standing for the path.
//!
//! Exit status as `validate`'s: 0 a reply without error findings, 1 with
//! some; 2 when there is no reply to check (unreachable, timed out, not
//! 2xx, not JSON), with what the webhook did answer, masked and cut short,
//! on standard error.

use crate::{ColorArg, FormatArg};
use anyhow::Result;
use preflight::render::Finding;
use preflight_server::webhook_test::{self, Reply, WebhookTest, WebhookTestError};
use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

/// The environment variable holding the webhook key.
const KEY_ENV: &str = "PREFLIGHT_WEBHOOK_KEY";

/// The endpoint the reply is checked as.
const REPLY: &str = "chatbot/webhook-reply";

/// How much of a reply that cannot be checked is shown.
const EXCERPT_CHARS: usize = 600;

#[derive(Debug, clap::Args)]
pub(crate) struct WebhookTestArgs {
    /// The webhook's URL, as set in the gateway's Webhook Settings (e.g.
    /// http://127.0.0.1:8000/webhook.php). Any http or https URL: the
    /// request goes where you point it.
    url: String,
    /// The keyword the customer's chat matched: ending in `#`
    /// (`penawaran#`) the webhook gets `data` as the list of values typed
    /// after it; without (`penawaran`), the customer's name and number.
    #[arg(long, value_name = "KEYWORD")]
    keyword: String,
    /// What the customer typed after a `#` keyword, `#`-separated
    /// (`"Budi Santoso#budi@tokobaju.co.id"`); for a keyword without `#`,
    /// the customer's WhatsApp name.
    #[arg(long, value_name = "TEXT")]
    data: String,
    /// The customer's WhatsApp number, sent as `from` (and as `data.nohp`
    /// for a keyword without `#`).
    #[arg(long, value_name = "NUMBER", default_value = "6282386123456")]
    from: String,
    /// The webhook key sent as `webhookkey` (the one in the gateway's
    /// Webhook Settings, which the webhook checks). Without it preflight's
    /// stand-in key `preflight-stand-in-webhook-key` is sent. Never printed.
    #[arg(long, env = KEY_ENV, value_name = "KEY", hide_env_values = true)]
    webhook_key: Option<String>,
    /// An extra request header, `NAME:VALUE`; repeatable. Values are never
    /// printed.
    #[arg(long = "header", short = 'H', value_name = "NAME:VALUE")]
    headers: Vec<String>,
    /// Seconds the webhook has to answer, its whole reply included.
    #[arg(long, value_name = "SECS", default_value = "10", value_parser = seconds)]
    timeout: Duration,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = FormatArg::Text)]
    format: FormatArg,
    /// Colour in text and concise output.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    color: ColorArg,
    /// The config file whose `[rules]` levels apply (default: the
    /// preflight.toml of the current directory or a parent).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Errors only: no warnings, no summary line, no notes.
    #[arg(long, short = 'q')]
    quiet: bool,
}

/// `--timeout`: positive seconds, fractions allowed.
fn seconds(text: &str) -> std::result::Result<Duration, String> {
    let s: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a number of seconds"))?;
    if !(s.is_finite() && s > 0.0 && s <= 3600.0) {
        return Err(format!(
            "`{text}`: give a number of seconds above 0, at most 3600"
        ));
    }
    Ok(Duration::from_secs_f64(s))
}

fn fail(message: &str, help: &str) -> u8 {
    eprintln!("preflight: error: {message}");
    if !help.is_empty() {
        eprintln!("  help: {help}");
    }
    2
}

/// Runs `webhook-test`; returns the exit status.
pub(crate) fn run(args: WebhookTestArgs, out: &mut impl Write) -> Result<u8> {
    let mut headers = Vec::new();
    for h in &args.headers {
        let Some((name, value)) = h.split_once(':') else {
            // Not quoted: it may be a credential.
            return Ok(fail(
                "a --header has no `:`",
                "give each header as NAME:VALUE, e.g. --header 'X-Api-Key: …'",
            ));
        };
        headers.push((name.trim().to_string(), value.trim().to_string()));
    }
    let cwd = std::env::current_dir()?;
    let scopes = match crate::scope::Scopes::new(args.config.as_deref(), &cwd, None, false) {
        Ok(s) => s,
        Err(err) => return Ok(fail(&crate::error_text(&err), "")),
    };
    let scope = scopes.default().clone();
    let shown_url = shown_url(&args.url);
    let test = WebhookTest {
        url: args.url.clone(),
        keyword: args.keyword.clone(),
        data: args.data.clone(),
        from: args.from.clone(),
        webhook_key: args.webhook_key.clone(),
        headers,
        timeout: args.timeout,
    };
    let reply = match webhook_test::send_blocking(&test) {
        Ok(r) => r,
        Err(e) => {
            let help = match &e {
                WebhookTestError::Unreachable(_) => {
                    "is the webhook running, and listening at this host and port? the URL is used exactly as given"
                }
                WebhookTestError::Timeout(_) => {
                    "the webhook took too long; --timeout SECS waits longer (the gateway waits for the reply before it answers the customer)"
                }
                WebhookTestError::Url(_) => {
                    "give the whole URL, e.g. http://127.0.0.1:8000/webhook"
                }
                _ => "",
            };
            return Ok(fail(&format!("{shown_url}: {e}"), help));
        }
    };
    let secret = args.webhook_key.as_deref().filter(|k| !k.is_empty());
    if !(200..300).contains(&reply.status) {
        return Ok(fail(
            &format!(
                "{shown_url}: the webhook answered HTTP {}{}; the gateway expects a 2xx reply holding the JSON of chatbot/webhook-reply",
                reply.status,
                reply.reason.map(|r| format!(" {r}")).unwrap_or_default()
            ),
            &excerpt_help(&reply, secret),
        ));
    }
    let text = String::from_utf8_lossy(&reply.body).into_owned();
    let unbommed = reply
        .body
        .strip_prefix("\u{feff}".as_bytes())
        .unwrap_or(&reply.body);
    if let Err(e) = serde_json::from_slice::<serde::de::IgnoredAny>(unbommed) {
        let what = if reply.body.iter().all(u8::is_ascii_whitespace) {
            "the reply's body is empty".to_string()
        } else {
            format!("the reply is not JSON ({e})")
        };
        let mut help = excerpt_help(&reply, secret);
        if let Some(hint) = before_json(&text) {
            help = format!("{hint}\n  {help}");
        }
        return Ok(fail(&format!("{shown_url}: {what}"), &help));
    }
    let options = &scope.options;
    let report = match preflight::validate_with(REPLY, &reply.body, options) {
        Ok(r) => r,
        Err(e) => return Ok(fail(&format!("internal error: {e}"), "")),
    };
    let format = crate::validate::format_of(args.format);
    if !args.quiet {
        for note in notes(&reply) {
            eprintln!("preflight: note: {note}");
        }
    }
    let mut renderer = crate::output::renderer(
        format,
        crate::output::color(args.color),
        out,
        scope.loaded.as_ref(),
        options,
    )?
    .quiet(args.quiet);
    renderer.begin_file(&shown_url, Some(REPLY))?;
    renderer.payloads(1);
    for d in report.diagnostics {
        renderer.finding(&Finding::new(d, &text))?;
    }
    let summary = renderer.finish()?;
    Ok(if summary.errors > 0 { 1 } else { 0 })
}

/// What is said beside the findings: a reply that does not say it is JSON,
/// and a refusal (`success: false`), which the schema allows.
fn notes(reply: &Reply) -> Vec<String> {
    let mut out = Vec::new();
    let json_type = reply.content_type.as_deref().is_some_and(|t| {
        let t = t.to_ascii_lowercase();
        t.starts_with("application/json") || t.contains("+json")
    });
    if !json_type {
        out.push(format!(
            "the reply's Content-Type is {}, not application/json (the doc's PHP sample sends `Content-Type: application/json`)",
            reply
                .content_type
                .as_deref()
                .map(|t| format!("`{}`", preflight::render::escape_controls(t)))
                .unwrap_or_else(|| "missing".to_string())
        ));
    }
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(&reply.body)
        && value.get("success") == Some(&serde_json::Value::Bool(false))
    {
        out.push(
            "the webhook answered `success: false`: the gateway sends the customer no reply. If it rejected the webhook key, pass the key from the gateway's Webhook Settings with --webhook-key or PREFLIGHT_WEBHOOK_KEY".to_string(),
        );
    }
    out
}

/// The start of what the webhook answered, masked, as a help line.
fn excerpt_help(reply: &Reply, secret: Option<&str>) -> String {
    let kind = reply
        .content_type
        .as_deref()
        .map(|t| format!(", {}", preflight::render::escape_controls(t)))
        .unwrap_or_default();
    if reply.body.iter().all(u8::is_ascii_whitespace) {
        return format!("the reply had no body{kind}");
    }
    format!(
        "the webhook answered ({} bytes{kind}):\n{}",
        reply.body.len(),
        excerpt(&reply.body, secret)
    )
}

/// At most [`EXCERPT_CHARS`] of a body, indented, secrets masked (secret
/// fields, and the webhook key wherever it appears), controls escaped.
fn excerpt(body: &[u8], secret: Option<&str>) -> String {
    let text = String::from_utf8_lossy(body);
    let mut cut: String = text.chars().take(EXCERPT_CHARS).collect();
    let more = cut.len() < text.len();
    if let Some(key) = secret {
        cut = cut.replace(key, "•••");
    }
    let mut shown = preflight::render::masked_text(&cut, false);
    if more {
        shown.push('…');
    }
    shown
        .lines()
        .map(|l| format!("    | {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// When a reply has text before a JSON object (a PHP notice or warning
/// printed before `json_encode`'s output), says so.
fn before_json(text: &str) -> Option<String> {
    let start = text.find('{')?;
    let prefix = text[..start].trim();
    if prefix.is_empty() || serde_json::from_str::<serde::de::IgnoredAny>(&text[start..]).is_err() {
        return None;
    }
    // The first line with words, HTML tags left out (PHP prints `<b>Notice</b>:`).
    let first = prefix
        .lines()
        .map(without_tags)
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default();
    let first: String = first.trim().chars().take(120).collect();
    Some(format!(
        "the reply has text before its JSON (`{}`): a PHP notice or warning printed before the reply? The gateway reads the whole body as JSON; log errors instead of printing them (display_errors=Off)",
        preflight::render::escape_controls(&first)
    ))
}

/// `line` without `<…>` tags, spaces squeezed.
fn without_tags(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut in_tag = false;
    for c in line.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The URL as the report names it: query values of secret-looking keys
/// (`token`, `key`, `signature`, …) replaced by `•••`.
fn shown_url(url: &str) -> String {
    let url = url.trim();
    let Some((base, query)) = url.split_once('?') else {
        return preflight::render::escape_controls(url).into_owned();
    };
    let (query, fragment) = match query.split_once('#') {
        Some((q, f)) => (q, Some(f)),
        None => (query, None),
    };
    let masked: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, _)) if secret_name(k) => format!("{k}=•••"),
            _ => pair.to_string(),
        })
        .collect();
    let mut out = format!("{base}?{}", masked.join("&"));
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    preflight::render::escape_controls(&out).into_owned()
}

fn secret_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    [
        "key",
        "token",
        "secret",
        "sig",
        "pass",
        "auth",
        "pwd",
        "hash",
        "credential",
    ]
    .iter()
    .any(|w| n.contains(w))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn secret_query_values_are_masked_in_the_url() {
        assert_eq!(
            shown_url("http://127.0.0.1:8000/hook.php?toko=batik&api_key=rahasia&t=1"),
            "http://127.0.0.1:8000/hook.php?toko=batik&api_key=•••&t=1"
        );
        assert_eq!(
            shown_url("http://127.0.0.1:8000/hook"),
            "http://127.0.0.1:8000/hook"
        );
    }

    #[test]
    fn text_before_the_json_is_named() {
        let php = "<br />\n<b>Notice</b>: Undefined index: keyword in /var/www/hook.php on line 5<br />\n{\"success\":true,\"message\":{\"reply\":[]}}";
        let hint = before_json(php).unwrap();
        assert!(
            hint.contains("Notice") && hint.contains("display_errors"),
            "{hint}"
        );
        assert_eq!(before_json("{\"success\":true}"), None);
        assert_eq!(before_json("Unauthorized"), None);
    }

    #[test]
    fn excerpts_mask_the_key_and_stop() {
        let body = format!(
            "error: key kunci-rahasia-99 rejected {}",
            "x".repeat(EXCERPT_CHARS)
        );
        let shown = excerpt(body.as_bytes(), Some("kunci-rahasia-99"));
        assert!(
            !shown.contains("kunci-rahasia-99") && shown.ends_with('…'),
            "{shown}"
        );
    }

    #[test]
    fn timeouts_are_positive_seconds() {
        assert_eq!(seconds("2.5").unwrap(), Duration::from_millis(2500));
        for bad in ["0", "-1", "abc", "inf", "NaN"] {
            assert!(seconds(bad).is_err(), "{bad}");
        }
    }
}
