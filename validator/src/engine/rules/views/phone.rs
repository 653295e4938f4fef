//! Reading phone numbers (`x-phone`), shared by `phone-format` and
//! `implausible-phone`.
//!
//! Each provider documents one written form (Sandeza `0…`, `62…` or `+…`;
//! Qiscus E.164 digits without `+`; …). [`clean`] strips what people type
//! around the digits (spaces, dashes, dots, parentheses), [`check_form`] says
//! whether the digits are in the provider's form and, when the intended number
//! is obvious, what to send instead; [`plausibility`] judges an Indonesian
//! number against the numbering plan (mobile numbers are `8[1-35-9]` and 7 to
//! 10 more digits after the country code 62 or the trunk prefix 0).

pub(crate) use crate::engine::facts::phone::Form;
use crate::engine::walk::{Annotations, Fact};

/// Every phone-number field of the payload (schema nodes with `x-phone`) as
/// (pointer, the provider's form, the value), placeholders left out: they are
/// `unfilled-placeholder`'s finding.
pub(crate) fn fields<'a>(annotations: &'a Annotations<'a>) -> Vec<PhoneField<'a>> {
    annotations
        .with_fact(Fact::Phone)
        .into_iter()
        .filter_map(|k| {
            let form = k.facts.phone?;
            let text = k.value.as_str()?;
            (!super::hygiene::is_placeholder(annotations, k.pointer, text))
                .then_some((k.pointer, form, text))
        })
        .collect()
}

/// A phone-number field: pointer, the provider's form, the value.
pub type PhoneField<'a> = (&'a str, Form, &'a str);

/// A phone number with the typing around it removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cleaned {
    /// Written with a leading `+`.
    pub plus: bool,
    /// The digits.
    pub digits: String,
    /// Spaces, dashes, dots or parentheses were removed.
    pub had_separators: bool,
}

impl Cleaned {
    /// The number as written, without separators.
    pub fn compact(&self) -> String {
        format!("{}{}", if self.plus { "+" } else { "" }, self.digits)
    }
}

/// Why a string cannot be read as a phone number at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreadable {
    /// A character that is neither a digit nor a separator, at this character index.
    BadChar(usize, char),
    /// No digit at all.
    NoDigits,
}

/// Strips separators; `+` only counts at the start.
pub fn clean(text: &str) -> Result<Cleaned, Unreadable> {
    let mut out = Cleaned {
        plus: false,
        digits: String::new(),
        had_separators: false,
    };
    for (i, c) in text.trim().chars().enumerate() {
        match c {
            '0'..='9' => out.digits.push(c),
            '+' if out.digits.is_empty() && !out.plus => out.plus = true,
            ' ' | '\u{a0}' | '-' | '.' | '(' | ')' => out.had_separators = true,
            _ => {
                let lead = text.chars().take_while(|c| c.is_whitespace()).count();
                return Err(Unreadable::BadChar(lead + i, c));
            }
        }
    }
    if out.digits.is_empty() {
        return Err(Unreadable::NoDigits);
    }
    Ok(out)
}

/// What is wrong with `text` as a phone number in the form of the provider
/// `form` names (`oca`, `sandeza`, … as in `x-phone`), in the words of the
/// `phone-format` rule: `starts with the trunk prefix 0 instead of the
/// country code; OCA expects …`. `None` when it is in the form (or the form
/// is unknown). For the generated types, which hold the form too.
pub(crate) fn form_problem(form: &str, text: &str) -> Option<String> {
    let form = Form::from_annotation(form)?;
    // As the rule: an empty value is the schema's to judge, a placeholder
    // `unfilled-placeholder`'s.
    if text.trim().is_empty() || text.contains("{{") || text.contains("${") {
        return None;
    }
    let expects = form.expects();
    let cleaned = match clean(text) {
        Ok(n) => n,
        Err(Unreadable::BadChar(_, c)) => {
            return Some(format!(
                "contains `{c}`, which is not part of a phone number; expected {expects}"
            ));
        }
        Err(Unreadable::NoDigits) => return Some(format!("holds no digits; expected {expects}")),
    };
    let (problem, fix) = check_form(form, &cleaned)?;
    let separators = if cleaned.had_separators && problem != FormProblem::Separators {
        " (and has separators)"
    } else {
        ""
    };
    let instead = fix.map(|f| format!(" (`{f}`)")).unwrap_or_default();
    Some(format!(
        "{}{separators}; expected {expects}{instead}",
        problem.describe(form)
    ))
}

/// How a number departs from the provider's form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormProblem {
    /// Written with `+` where the provider takes digits only.
    Plus,
    /// Written with the trunk prefix 0 where the provider wants the country code.
    TrunkZero,
    /// No country code and no 0 (`812…`) where the provider needs one of them.
    NoPrefix,
    /// A start the provider does not accept, with no obvious fix.
    OtherStart,
    /// Only separators are wrong.
    Separators,
    /// `+` followed by 0 (`+0812…`): no country code starts with 0.
    PlusZero,
}

impl FormProblem {
    /// What the number does wrong, as a phrase after the number.
    pub(crate) fn describe(self, form: Form) -> &'static str {
        match self {
            Self::Plus => "starts with `+`",
            Self::TrunkZero => "starts with the trunk prefix 0 instead of the country code",
            Self::NoPrefix => "has neither 0 nor 62 in front",
            Self::OtherStart => match form {
                Form::ThreeDolphins => "starts with neither 62 nor 0",
                _ => "starts with neither 0, 62 nor +",
            },
            Self::PlusZero => {
                "starts with `+0`; after `+` comes a country code, and no country code starts with 0"
            }
            Self::Separators => "contains spaces, dashes, dots or parentheses",
        }
    }
}

/// Checks a cleaned number against the form: the problem and the number to
/// send instead, when it is obvious.
pub fn check_form(form: Form, n: &Cleaned) -> Option<(FormProblem, Option<String>)> {
    let d = n.digits.as_str();
    let zero_to_62 = |rest: &str| format!("62{rest}");
    let problem = match form {
        Form::Sandeza if n.plus && d.starts_with('0') => Some((
            FormProblem::PlusZero,
            d.strip_prefix('0')
                .filter(|rest| !rest.starts_with('0'))
                .map(|rest| format!("+62{rest}")),
        )),
        Form::Sandeza => {
            if n.plus || d.starts_with('0') || d.starts_with("62") {
                None
            } else if d.starts_with('8') {
                Some((FormProblem::NoPrefix, Some(format!("62{d}"))))
            } else {
                Some((FormProblem::OtherStart, None))
            }
        }
        Form::Oca => d.strip_prefix('0').map(|rest| {
            let plus = if n.plus { "+" } else { "" };
            (
                FormProblem::TrunkZero,
                Some(format!("{plus}{}", zero_to_62(rest))),
            )
        }),
        Form::Qiscus | Form::Chatbot => {
            let intl = d
                .strip_prefix('0')
                .map_or_else(|| d.to_string(), zero_to_62);
            if n.plus {
                Some((FormProblem::Plus, Some(intl)))
            } else if d.starts_with('0') {
                Some((FormProblem::TrunkZero, Some(intl)))
            } else {
                None
            }
        }
        Form::ThreeDolphins => {
            if n.plus {
                let fix = (d.starts_with("62") || d.starts_with('0')).then(|| d.to_string());
                Some((FormProblem::Plus, fix))
            } else if d.starts_with('0') || d.starts_with("62") {
                None
            } else if d.starts_with('8') {
                Some((FormProblem::NoPrefix, Some(format!("62{d}"))))
            } else {
                Some((FormProblem::OtherStart, None))
            }
        }
    };
    match problem {
        Some(p) => Some(p),
        None if n.had_separators => Some((FormProblem::Separators, Some(n.compact()))),
        None => None,
    }
}

/// Why a number is unlikely to reach anyone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Implausible {
    /// An Indonesian mobile number of the wrong length; with the digit count
    /// as written and the range for that way of writing.
    MobileLength {
        written: usize,
        min: usize,
        max: usize,
    },
    /// `08x` with a digit that no Indonesian mobile network uses (080, 084).
    MobilePrefix(String),
    /// An Indonesian fixed-line number (area code given).
    FixedLine(String),
    /// An Indonesian service or short number (`1…`).
    Service,
    /// `62` followed by the trunk 0 (`620812…`); the number meant.
    DoubledPrefix(String),
    /// Only the country code or the trunk prefix.
    Empty,
    /// A bare national number (`812…`) where the provider wants a country code;
    /// the number meant.
    NoCountryCode(String),
    /// More than E.164's 15 digits.
    TooLong(usize),
}

/// Judges a number in the provider's form (or as its form fix would have it)
/// against the Indonesian numbering plan and E.164.
pub fn plausibility(form: Form, n: &Cleaned) -> Option<Implausible> {
    let d = n.digits.as_str();
    if d.starts_with("00") {
        // An international call prefix (`0062…`): not a form anyone documents,
        // and not a number to judge here.
        return None;
    }
    let (national, prefix_len) = if let Some(rest) = d.strip_prefix("62") {
        (rest, 2)
    } else if let (Some(rest), false) = (d.strip_prefix('0'), n.plus) {
        (rest, 1)
    } else if d.starts_with('8') && !n.plus {
        if form.rejects_bare_national() {
            return None;
        }
        return (d.len() >= 9 && d.len() <= 12)
            .then(|| Implausible::NoCountryCode(format!("62{d}")));
    } else {
        return (d.len() > 15).then_some(Implausible::TooLong(d.len()));
    };
    if national.is_empty() {
        return Some(Implausible::Empty);
    }
    if let Some(rest) = national.strip_prefix('0') {
        return Some(Implausible::DoubledPrefix(format!(
            "{}{}",
            &n.compact()[..usize::from(n.plus) + prefix_len],
            rest
        )));
    }
    let mut chars = national.chars();
    match (chars.next(), chars.next()) {
        (Some('8'), Some('0' | '4')) => Some(Implausible::MobilePrefix(national[..2].to_string())),
        (Some('8'), _) => {
            let (min, max) = (9 + prefix_len, 12 + prefix_len);
            (!(9..=12).contains(&national.len())).then_some(Implausible::MobileLength {
                written: d.len(),
                min,
                max,
            })
        }
        (Some('1'), _) => Some(Implausible::Service),
        (Some(_), _) => {
            // Jakarta, Bandung, Surabaya… have two-digit area codes (21, 22, 31),
            // the rest three digits.
            let two = ["21", "22", "24", "31", "61"];
            let code_len = if two.iter().any(|c| national.starts_with(c)) {
                2
            } else {
                3
            };
            Some(Implausible::FixedLine(
                national.chars().take(code_len).collect(),
            ))
        }
        (None, _) => Some(Implausible::Empty),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;

    fn form(f: Form, text: &str) -> Option<(FormProblem, Option<String>)> {
        check_form(f, &clean(text).unwrap())
    }

    fn plausible(f: Form, text: &str) -> Option<Implausible> {
        plausibility(f, &clean(text).unwrap())
    }

    #[test]
    fn cleans_what_people_type() {
        let n = clean("+62 812-3456-7890").unwrap();
        assert_eq!(
            (n.plus, n.digits.as_str(), n.had_separators),
            (true, "6281234567890", true)
        );
        assert_eq!(clean("(021) 555.0123").unwrap().digits, "0215550123");
        assert_eq!(clean("0812O3456789"), Err(Unreadable::BadChar(4, 'O')));
        assert_eq!(clean("62+812"), Err(Unreadable::BadChar(2, '+')));
        assert_eq!(clean("{phone-number-1}"), Err(Unreadable::BadChar(0, '{')));
        assert_eq!(clean(" - "), Err(Unreadable::NoDigits));
    }

    #[test]
    fn each_provider_form() {
        for text in [
            "081234567890",
            "6281234567890",
            "+6281234567890",
            "+6591234567",
        ] {
            assert_eq!(form(Form::Sandeza, text), None, "{text}");
        }
        assert_eq!(
            form(Form::Sandeza, "+081234567890"),
            Some((FormProblem::PlusZero, Some("+6281234567890".to_string())))
        );
        assert_eq!(
            form(Form::Sandeza, "81234567890"),
            Some((FormProblem::NoPrefix, Some("6281234567890".into())))
        );
        assert_eq!(
            form(Form::Sandeza, "6591234567"),
            Some((FormProblem::OtherStart, None))
        );
        assert_eq!(
            form(Form::Sandeza, "0812-3456-7890"),
            Some((FormProblem::Separators, Some("081234567890".into())))
        );

        assert_eq!(form(Form::Oca, "+6281381475159"), None);
        assert_eq!(form(Form::Oca, "6281381475159"), None);
        assert_eq!(
            form(Form::Oca, "081381475159"),
            Some((FormProblem::TrunkZero, Some("6281381475159".into())))
        );

        assert_eq!(form(Form::Qiscus, "6281527975868"), None);
        assert_eq!(
            form(Form::Qiscus, "+6281527975868"),
            Some((FormProblem::Plus, Some("6281527975868".into())))
        );
        assert_eq!(
            form(Form::Qiscus, "+62 815-2797-5868"),
            Some((FormProblem::Plus, Some("6281527975868".into())))
        );
        assert_eq!(
            form(Form::Qiscus, "081527975868"),
            Some((FormProblem::TrunkZero, Some("6281527975868".into())))
        );

        assert_eq!(form(Form::ThreeDolphins, "081812345678"), None);
        assert_eq!(form(Form::ThreeDolphins, "6281812345678"), None);
        assert_eq!(
            form(Form::ThreeDolphins, "+6281812345678"),
            Some((FormProblem::Plus, Some("6281812345678".into())))
        );
        assert_eq!(
            form(Form::ThreeDolphins, "+6591234567"),
            Some((FormProblem::Plus, None))
        );
        assert_eq!(
            form(Form::ThreeDolphins, "81812345678"),
            Some((FormProblem::NoPrefix, Some("6281812345678".into())))
        );

        assert_eq!(form(Form::Chatbot, "6287812345601"), None);
        assert_eq!(
            form(Form::Chatbot, "087812345601"),
            Some((FormProblem::TrunkZero, Some("6287812345601".into())))
        );
        assert_eq!(
            form(Form::Chatbot, "+6287812345601"),
            Some((FormProblem::Plus, Some("6287812345601".into())))
        );
        assert_eq!(
            form(Form::Chatbot, "+0878 1234 5601"),
            Some((FormProblem::Plus, Some("6287812345601".into())))
        );
    }

    #[test]
    fn indonesian_numbering_plan() {
        for text in [
            "0811234567",
            "081234567890",
            "0812345678901",
            "62811234567",
            "+6289612345678",
            "6285212345678",
        ] {
            assert_eq!(plausible(Form::Sandeza, text), None, "{text}");
        }
        assert_eq!(
            plausible(Form::Sandeza, "081234567"),
            Some(Implausible::MobileLength {
                written: 9,
                min: 10,
                max: 13
            })
        );
        assert_eq!(
            plausible(Form::Qiscus, "628123456789012"),
            Some(Implausible::MobileLength {
                written: 15,
                min: 11,
                max: 14
            })
        );
        assert_eq!(
            plausible(Form::Sandeza, "0841234567890"),
            Some(Implausible::MobilePrefix("84".into()))
        );
        assert_eq!(
            plausible(Form::Sandeza, "02155501234"),
            Some(Implausible::FixedLine("21".into()))
        );
        assert_eq!(
            plausible(Form::Oca, "62274512345"),
            Some(Implausible::FixedLine("274".into()))
        );
        assert_eq!(
            plausible(Form::Sandeza, "0150012"),
            Some(Implausible::Service)
        );
        assert_eq!(
            plausible(Form::Chatbot, "62081234567890"),
            Some(Implausible::DoubledPrefix("6281234567890".into()))
        );
        assert_eq!(
            plausible(Form::Oca, "+62081234567890"),
            Some(Implausible::DoubledPrefix("+6281234567890".into()))
        );
        assert_eq!(plausible(Form::Chatbot, "62"), Some(Implausible::Empty));
        assert_eq!(
            plausible(Form::Oca, "81234567890"),
            Some(Implausible::NoCountryCode("6281234567890".into()))
        );
        assert_eq!(
            plausible(Form::Sandeza, "81234567890"),
            None,
            "phone-format reports it"
        );
        assert_eq!(plausible(Form::Qiscus, "6591234567"), None);
        assert_eq!(plausible(Form::Sandeza, "+4915123456789"), None);
        assert_eq!(
            plausible(Form::Sandeza, "+4915123456789012"),
            Some(Implausible::TooLong(16))
        );
    }
}
