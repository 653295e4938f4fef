//! `x-phone`: which provider's written form a phone-number field takes.

/// A provider's documented way of writing a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// Sandeza `msisdn`: digits starting with 0 or 62, or `+` and digits.
    Sandeza,
    /// OCA `phone_number`: country code and number, `+` optional.
    Oca,
    /// Qiscus `phone_number`: E.164 digits without `+`.
    Qiscus,
    /// 3Dolphins: digits starting with 62 or 0, never `+`.
    ThreeDolphins,
    /// Chatbot gateway `nohp`: country code and number, digits only (`62…`).
    Chatbot,
}

impl Form {
    /// The form named by an `x-phone` value.
    pub fn from_annotation(name: &str) -> Option<Self> {
        Some(match name {
            "sandeza" => Form::Sandeza,
            "oca" => Form::Oca,
            "qiscus" => Form::Qiscus,
            "3dolphins" => Form::ThreeDolphins,
            "chatbot" => Form::Chatbot,
            _ => return None,
        })
    }

    /// What the provider expects, for a message.
    pub fn expects(self) -> &'static str {
        match self {
            Form::Sandeza => "digits starting with 0, 62 or +",
            Form::Oca => {
                "the country code and number in digits, with or without + (6281… or +6281…)"
            }
            Form::Qiscus => "E.164 digits without + (6281…)",
            Form::ThreeDolphins => "digits starting with 62 or 0, never +",
            Form::Chatbot => "the country code and number in digits (6281…)",
        }
    }

    /// True when a number written without a country code (`812…`) is already a
    /// form error for this provider (so the plausibility rule stays silent).
    pub fn rejects_bare_national(self) -> bool {
        matches!(self, Form::Sandeza | Form::ThreeDolphins)
    }
}
