// A request cannot be built without its required fields: `message` is
// required for an OCA push message, so `new` needs it.
use preflight::types::oca::{PushMessageRequest, PushMessageRequestPhoneNumber};

fn main() {
    let phone = PushMessageRequestPhoneNumber::try_from("6281234567890").unwrap();
    let _request = PushMessageRequest::new(phone);
}
