//! `implausible-phone`: a phone number (`x-phone`) in the provider's form
//! whose digits are unlikely to reach a WhatsApp (or SMS) user.
//!
//! Only numbers with the Indonesian country code (written `62…`, `+62…` or
//! with the trunk prefix `0…`) are judged against the numbering plan; other
//! countries only against E.164's 15 digits. A warning, never an error: the
//! plan changes, and preflight cannot know whether a number is registered.

use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::engine::rules::context::{Rule, RuleContext, RuleInfo};
use crate::engine::rules::views::phone::{self, Implausible};

/// The rule.
pub struct ImplausiblePhone;

static INFO: RuleInfo = RuleInfo {
    name: "implausible-phone",
    default_severity: Severity::Warning,
    source: Source::Platform,
    providers: &[],
    summary: "A phone number that is not a plausible Indonesian mobile number (wrong length, fixed line, doubled prefix).",
    docs: include_str!("implausible-phone.md"),
};

impl Rule for ImplausiblePhone {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        for &(ptr, form, text) in cx.phone_fields() {
            let Ok(number) = phone::clean(text) else {
                continue;
            };
            let Some(problem) = phone::plausibility(form, &number) else {
                continue;
            };
            let secret = cx.is_secret(ptr);
            let field = crate::engine::text::pointer::field_name(ptr);
            let shown = if secret {
                "[redacted]".to_string()
            } else {
                text.trim().to_string()
            };
            let (message, help) = describe(&field, &shown, &problem, secret);
            // No provenance on the finding: the numbering plan is neither the
            // provider's doc nor a WhatsApp limit.
            let mut d = Diagnostic::warning(INFO.name, ptr, message);
            if let Some(help) = help {
                d = d.with_help(help);
            }
            out.push(d);
        }
    }
}

fn describe(
    field: &str,
    shown: &str,
    problem: &Implausible,
    secret: bool,
) -> (String, Option<String>) {
    let write = |fix: &str| (!secret).then(|| format!("write `{fix}`"));
    match problem {
        Implausible::MobileLength { written, min, max } => {
            let way = if *min == 10 { "with 0" } else { "with 62" };
            let short = written < min;
            (
                format!(
                    "`{field}` `{shown}` is too {} for an Indonesian mobile number: {written} digits, where numbers written {way} have {min} to {max}",
                    if short { "short" } else { "long" }
                ),
                Some(format!("check the number for a {} digit", if short { "missing" } else { "doubled or extra" })),
            )
        }
        Implausible::MobilePrefix(p) => (
            format!("`{field}` `{shown}` starts with 0{p}, which no Indonesian mobile network uses"),
            Some("check the number; mobile numbers start with 081–083 or 085–089".to_string()),
        ),
        Implausible::FixedLine(code) => (
            format!("`{field}` `{shown}` is an Indonesian fixed-line number (area code {code}), not a mobile one"),
            Some("WhatsApp reaches a landline only if it is registered with WhatsApp Business, SMS not at all: use the customer's mobile number unless you know the line is on WhatsApp".to_string()),
        ),
        Implausible::Service => (
            format!("`{field}` `{shown}` is an Indonesian service or short number, not a mobile one"),
            Some("use the customer's mobile number (08… or 628…)".to_string()),
        ),
        Implausible::DoubledPrefix(fix) => (
            format!("`{field}` `{shown}` has the trunk prefix 0 after the country code 62"),
            write(fix).map(|w| format!("drop the 0: {w}")),
        ),
        Implausible::Empty => (
            format!("`{field}` `{shown}` has a prefix but no number after it"),
            None,
        ),
        Implausible::NoCountryCode(fix) => (
            format!("`{field}` `{shown}` has no country code; as written, its first digits are read as a foreign country code (81 is Japan), not Indonesia's 62"),
            write(fix).map(|w| format!("if it is an Indonesian number, {w}")),
        ),
        Implausible::TooLong(n) => (
            format!("`{field}` `{shown}` has {n} digits; an international (E.164) number has at most 15"),
            Some("check the number for doubled or extra digits".to_string()),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::describe;
    use crate::engine::rules::views::phone::Implausible;

    #[test]
    fn messages_name_the_way_it_is_written() {
        let (m, h) = describe(
            "nohp",
            "628123456789012",
            &Implausible::MobileLength {
                written: 15,
                min: 11,
                max: 14,
            },
            false,
        );
        assert_eq!(
            m,
            "`nohp` `628123456789012` is too long for an Indonesian mobile number: 15 digits, where numbers written with 62 have 11 to 14"
        );
        assert_eq!(
            h.as_deref(),
            Some("check the number for a doubled or extra digit")
        );
        let (_, h) = describe(
            "msisdn",
            "[redacted]",
            &Implausible::DoubledPrefix("6281234567890".into()),
            true,
        );
        assert_eq!(h, None, "a secret's fix would quote it");
    }
}
