use bantin_server::config::{Command, Config};
use std::process::ExitCode;

fn main() -> ExitCode {
    let config = Config::from_command_line();
    let level: tracing::Level = config.log.parse().unwrap_or(tracing::Level::INFO);
    if let Some(command) = &config.command {
        // A command prints its result on stdout; the log goes to stderr.
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::WARN.min(level))
            .with_target(false)
            .with_writer(std::io::stderr)
            .init();
        return run_command(&config, command);
    }
    tracing_subscriber::fmt()
        .with_max_level(level)
        .with_target(false)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("bantin-server: starting the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let running = match bantin_server::start(config).await {
            Ok(r) => r,
            Err(e) => {
                tracing::error!("{e}");
                return ExitCode::FAILURE;
            }
        };
        println!("Bantin is serving on http://{}/", running.addr);
        shutdown_signal().await;
        tracing::info!("shutting down");
        match running.stop().await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                tracing::error!("server error: {e}");
                ExitCode::FAILURE
            }
        }
    })
}

fn run_command(config: &Config, command: &Command) -> ExitCode {
    let result = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("starting the runtime: {e}"))
        .and_then(|rt| {
            rt.block_on(async {
                match command {
                    Command::Counts { action } => {
                        bantin_server::counts_cli::run(config, action).await
                    }
                    Command::User { action } => bantin_server::accounts::run(config, action).await,
                    Command::Export { what, format } => {
                        bantin_server::export::run_export(config, what, format).await
                    }
                    Command::Import { file } => {
                        bantin_server::export::run_import(config, file).await
                    }
                }
            })
        });
    match result {
        Ok(out) => {
            print!("{out}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("bantin-server: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
