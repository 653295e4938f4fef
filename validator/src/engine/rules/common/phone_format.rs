//! `phone-format`: a phone number (`x-phone`) not written the way its
//! provider's doc says.

use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::diagnostic::{Edit, Fix};
use crate::engine::rules::context::{Rule, RuleContext, RuleInfo};
use crate::engine::rules::views::phone::{self, Form, FormProblem, Unreadable};

/// The rule.
pub struct PhoneFormat;

static INFO: RuleInfo = RuleInfo {
    name: "phone-format",
    default_severity: Severity::Error,
    source: Source::Provider,
    providers: &[],
    summary: "A phone number is not in the form the provider's doc requires.",
    docs: include_str!("phone-format.md"),
};

impl Rule for PhoneFormat {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        for &(ptr, form, text) in cx.phone_fields() {
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
        (secret, crate::engine::text::pointer::field_name(ptr), shown)
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
    let what = problem.describe(form);
    let range = match problem {
        FormProblem::Plus | FormProblem::TrunkZero => Some(start..start + 1),
        FormProblem::PlusZero => Some(start..start + 2),
        FormProblem::NoPrefix | FormProblem::OtherStart | FormProblem::Separators => None,
    };
    let mut d = Diagnostic::error(
        INFO.name,
        ptr,
        format!("`{field}` `{shown}` {what}{separators}; {owner} expects {expects}"),
    );
    let help = match (fix.clone(), secret) {
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
    if let Some(fixed) = fix {
        // The same number in the provider's form: the message's meaning is unchanged.
        let mut edit = Edit::value(ptr, &serde_json::Value::String(fixed.clone()));
        if secret {
            edit = edit.secret();
        }
        d = d.with_fix(Fix::safe(
            format!(
                "write the number as {}",
                if secret { "[redacted]" } else { fixed.as_str() }
            ),
            vec![edit],
        ));
    }
    Some(d)
}
