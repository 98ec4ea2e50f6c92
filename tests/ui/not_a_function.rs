use cognito_trigger::cognito_trigger;

#[cognito_trigger(pool = "MyUserPool", trigger = PreSignUp)]
struct Handler;

fn main() {}
