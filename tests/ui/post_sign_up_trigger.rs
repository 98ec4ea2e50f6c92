use cognito_trigger::{cognito_trigger, events::PostConfirmationEvent, Error};

#[cognito_trigger(pool = "MyUserPool", trigger = PostSignUp)]
async fn handler(event: PostConfirmationEvent) -> Result<PostConfirmationEvent, Error> {
    Ok(event)
}
