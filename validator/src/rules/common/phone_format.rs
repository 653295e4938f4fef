//! `phone-format`: a phone number (`x-phone`) not written the way its
//! provider's doc says.

use super::phone::{self, Form, FormProblem, Unreadable};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::rules::{Rule, RuleContext, RuleInfo};

/// The rule.
pub struct PhoneFormat;

static INFO: RuleInfo = RuleInfo {
    name: "phone-format",
    default_severity: Severity::Error,
    source: Source::Provider,
    providers: &[],
    summary: "A phone number is not in the form the provider's doc requires.",
    docs: "## What it does\nChecks every phone number (fields whose schema carries `x-phone`) against the form its provider documents, and says what to send instead when the intended number is obvious:\n\n| provider | form | e.g. |\n| --- | --- | --- |\n| Sandeza `msisdn` | digits starting with 0, 62 or + | `081234567890`, `6281234567890`, `+6281234567890` |\n| OCA `phone_number` | country code and number, + optional | `6281381475159`, `+6281381475159` |\n| Qiscus `phone_number` | E.164 digits without + | `6281527975868` |\n| 3Dolphins numbers and `Recipient` | digits starting with 62 or 0, never + | `6281812345678`, `081812345678` |\n| chatbot gateway `nohp` | country code and number in digits | `6287812345601` |\n\nIt reports `+` where the provider takes digits only (`+6281…` → `6281…` for Qiscus), the trunk prefix 0 where the provider wants the country code (`081234567890` → `6281234567890`), a number with neither (`81234567890` → `6281234567890` for Sandeza and 3Dolphins), letters or other characters, and spaces, dashes, dots or parentheses (`0812-3456-7890` → `081234567890`). Whether the digits make a real Indonesian number is `implausible-phone`'s job. The chatbot gateway's doc states no rule; its samples (`628123…`) and the way WhatsApp-Web gateways address accounts give the form.\n\n## Why is this bad?\nThe providers match numbers as strings of digits: a number in another form is rejected, or the message goes nowhere while the API answers success.\n\n## Source\nSandeza (\"Mobile phone number, with 0, 62 or +\"), OCA (\"country code + phone number (+6281381475159, 6281381475159)\"), Qiscus (\"Use E164 format without +\"), 3Dolphins (\"format '62' atau '0', tidak dapat diisi dengan '+'\"), the chatbot gateway's samples.\n\n## Example\n```json\n{\"phone_number\": \"+6281527975868\"}\n```\nUse instead (Qiscus):\n```json\n{\"phone_number\": \"6281527975868\"}\n```\n",
};

impl Rule for PhoneFormat {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        for &(ptr, form, text) in phone::fields(cx) {
            if text.trim().is_empty() {
                continue;
            }
            if let Some(d) = finding(cx, ptr, text, form) {
                out.push(d.with_source(Source::Provider));
            }
        }
    }
}

fn finding(cx: &RuleContext<'_>, ptr: &str, text: &str, form: Form) -> Option<Diagnostic> {
    // Formatted only for a finding: rules run on every payload.
    let names = std::cell::LazyCell::new(|| {
        let secret = cx.is_secret(ptr);
        let shown = if secret {
            "[redacted]".to_string()
        } else {
            text.trim().to_string()
        };
        (secret, crate::pointer::field_name(ptr), shown)
    });
    let owner = cx.endpoint.provider_display();
    let expects = form.expects();
    let start = text
        .chars()
        .position(|c| c == '+' || c.is_ascii_digit())
        .unwrap_or(0);
    let cleaned = match phone::clean(text) {
        Ok(n) => n,
        Err(Unreadable::BadChar(at, c)) => {
            let (_, field, shown) = &*names;
            return Some(
                Diagnostic::error(
                    INFO.name,
                    ptr,
                    format!("`{field}` `{shown}` contains `{c}`, which is not part of a phone number; {owner} expects {expects}"),
                )
                .with_help("write the number in digits only")
                .with_value_range(at..at + 1),
            );
        }
        Err(Unreadable::NoDigits) => {
            let (_, field, shown) = &*names;
            return Some(Diagnostic::error(
                INFO.name,
                ptr,
                format!(
                    "`{field}` `{shown}` holds no digits; {owner} expects a phone number: {expects}"
                ),
            ));
        }
    };
    let (problem, fix) = phone::check_form(form, &cleaned)?;
    let &(secret, ref field, ref shown) = &*names;
    let separators = if cleaned.had_separators && problem != FormProblem::Separators {
        " (and has separators)"
    } else {
        ""
    };
    let (what, range) = match problem {
        FormProblem::Plus => ("starts with `+`".to_string(), Some(start..start + 1)),
        FormProblem::TrunkZero => (
            "starts with the trunk prefix 0 instead of the country code".to_string(),
            Some(start..start + 1),
        ),
        FormProblem::NoPrefix => ("has neither 0 nor 62 in front".to_string(), None),
        FormProblem::OtherStart => (
            match form {
                Form::ThreeDolphins => "starts with neither 62 nor 0".to_string(),
                _ => "starts with neither 0, 62 nor +".to_string(),
            },
            None,
        ),
        FormProblem::Separators => (
            "contains spaces, dashes, dots or parentheses".to_string(),
            None,
        ),
    };
    let mut d = Diagnostic::error(
        INFO.name,
        ptr,
        format!("`{field}` `{shown}` {what}{separators}; {owner} expects {expects}"),
    );
    let help = match (fix, secret) {
        (Some(fix), false) => Some(format!("write `{fix}`")),
        (Some(_), true) => Some(format!("write it as {expects}")),
        (None, _) => match form {
            Form::Sandeza if !secret => Some(format!(
                "write an Indonesian number with 0 or 62, a number abroad with + and its country code (`+{}`)",
                cleaned.digits
            )),
            Form::ThreeDolphins => {
                Some("3Dolphins' doc accepts only numbers written with 62 or 0".to_string())
            }
            _ => None,
        },
    };
    if let Some(help) = help {
        d = d.with_help(help);
    }
    if let Some(range) = range {
        d = d.with_value_range(range);
    }
    Some(d)
}
