//! Moves users of the old directory into the pool when they first sign in
//! (or reset their password).

use cognito_trigger::events::{Attributes, UserMigrationEvent, UserMigrationSource};
use cognito_trigger::{Error, cognito_trigger};

/// The old directory: (email, password).
const LEGACY_USERS: [(&str, &str); 1] = [("legacy@example.com", "Legacy-Passw0rd")];

#[cognito_trigger(pool = "AppPool", trigger = UserMigration)]
async fn migrate_users(mut event: UserMigrationEvent) -> Result<UserMigrationEvent, Error> {
    let Some((email, password)) = LEGACY_USERS
        .iter()
        .find(|(email, _)| *email == event.user_name)
    else {
        return Err(Error::reject("User does not exist"));
    };
    if event.trigger_source == UserMigrationSource::Authentication
        && event.request.password.as_deref() != Some(*password)
    {
        return Err(Error::reject("Incorrect username or password"));
    }
    event.migrate(Attributes::from([
        ("email".to_owned(), (*email).to_owned()),
        ("email_verified".to_owned(), "true".to_owned()),
    ]));
    Ok(event)
}
