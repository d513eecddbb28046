//! The `rivet` command line, mirroring `lua`:
//! `rivet [options] [script [args]]` with `-e stat`, `-i`, `-l mod`, `-l g=mod`, `-v`, `-E`,
//! `-W`, `--`, `-` (stdin), `--dump-bytecode file`. The REPL lives in `rivet::repl`.

mod allocator;

use rivet::Runtime;
use std::io::IsTerminal;
use std::process::ExitCode;

#[global_allocator]
static GLOBAL: allocator::WordAlignedMiMalloc = allocator::WordAlignedMiMalloc;

const USAGE: &str = "usage: rivet [options] [script [args]]
Available options are:
  -e stat   execute string 'stat'
  -i        enter interactive mode after executing 'script'
  -l mod    require library 'mod' into global 'mod'
  -l g=mod  require library 'mod' into global 'g'
  -v        show version information
  -E        ignore environment variables
  -W        turn warnings on
  -joff     do not compile loops to machine code (-jon: do, the default)
  -jv       report on stderr each loop the loop compiler looks at
  --        stop handling options
  -         stop handling options and execute stdin
  --dump-bytecode file   print the compiled bytecode of 'file' and exit";

enum Action {
    Exec(String),
    Require { global: String, module: String },
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let mut actions = Vec::new();
    let mut interactive = false;
    let mut version = false;
    let mut ignore_env = false;
    let mut warnings = false;
    let mut loop_compiler: Option<bool> = None;
    let mut loop_verbose = false;
    let mut script_index: Option<usize> = None;
    let mut i = 1;
    while i < args.len() {
        let a = &args[i];
        match a.as_str() {
            "--" => {
                if i + 1 < args.len() {
                    script_index = Some(i + 1);
                }
                break;
            }
            "-" => {
                script_index = Some(i);
                break;
            }
            "-i" => {
                interactive = true;
                version = true;
            }
            "-v" => version = true,
            "-E" => ignore_env = true,
            "-W" => warnings = true,
            "-joff" => loop_compiler = Some(false),
            "-jon" => loop_compiler = Some(true),
            "-jv" => loop_verbose = true,
            "--dump-bytecode" => {
                let Some(path) = args.get(i + 1) else {
                    eprintln!("rivet: '--dump-bytecode' needs a file\n{USAGE}");
                    return ExitCode::from(1);
                };
                return dump_bytecode(path);
            }
            _ if a.starts_with("-e") => {
                let stat = if a.len() > 2 {
                    a[2..].to_string()
                } else if let Some(s) = args.get(i + 1) {
                    i += 1;
                    s.clone()
                } else {
                    eprintln!("rivet: '-e' needs argument\n{USAGE}");
                    return ExitCode::from(1);
                };
                actions.push(Action::Exec(stat));
            }
            _ if a.starts_with("-l") => {
                let spec = if a.len() > 2 {
                    a[2..].to_string()
                } else if let Some(s) = args.get(i + 1) {
                    i += 1;
                    s.clone()
                } else {
                    eprintln!("rivet: '-l' needs argument\n{USAGE}");
                    return ExitCode::from(1);
                };
                // As lua.c: `-l g=mod` names the global; in `-l mod-v2` the global is the
                // name before the first '-' (the "ignore" mark of package.config).
                let (global, module) = match spec.split_once('=') {
                    Some((g, m)) => (g.to_string(), m.to_string()),
                    None => (spec.split('-').next().unwrap_or_default().to_string(), spec.clone()),
                };
                actions.push(Action::Require { global, module });
            }
            _ if a.starts_with('-') => {
                eprintln!("rivet: unrecognized option '{a}'\n{USAGE}");
                return ExitCode::from(1);
            }
            _ => {
                script_index = Some(i);
                break;
            }
        }
        i += 1;
    }

    let mut rt = if ignore_env { Runtime::ignoring_environment() } else { Runtime::new() };
    // Like lua.c, the standalone interpreter runs the collector in generational mode.
    rt.lua().heap_mut().params.generational = true;
    // Ctrl-C interrupts running code ("interrupted!") instead of killing the process.
    rt.interrupt_on_ctrl_c();
    if version {
        println!("{}", rivet::VERSION_TEXT);
    }
    if warnings {
        rt.lua().warn_message("@on");
    }
    if let Some(on) = loop_compiler {
        rt.lua().set_loop_compiler(on);
    }
    rt.lua().set_loop_compiler_verbose(loop_verbose);
    // The `arg` table: script at 0, its arguments at 1.., the interpreter and options below.
    let script_pos = script_index.unwrap_or(args.len());
    rt.set_arg_table(&args, script_pos);
    if !ignore_env {
        let init = std::env::var("RIVET_INIT_5_4").or_else(|_| std::env::var("RIVET_INIT"));
        if let Ok(init) = init {
            let ok = if let Some(path) = init.strip_prefix('@') {
                rt.run_file(Some(path), &[])
            } else {
                rt.run_chunk(init.as_bytes(), "=RIVET_INIT")
            };
            if !ok {
                return ExitCode::from(1);
            }
        }
    }
    let has_e = actions.iter().any(|a| matches!(a, Action::Exec(_)));
    for action in actions {
        let ok = match action {
            Action::Exec(stat) => rt.run_chunk(stat.as_bytes(), "=(command line)"),
            Action::Require { global, module } => rt.require_into(&global, &module),
        };
        if !ok {
            return ExitCode::from(1);
        }
    }
    if let Some(pos) = script_index {
        let script = &args[pos];
        let script_args: Vec<String> = args[pos + 1..].to_vec();
        let path = if script == "-" { None } else { Some(script.as_str()) };
        if !rt.run_file(path, &script_args) {
            return ExitCode::from(1);
        }
    }
    // As lua.c: `-i` enters the REPL; with no script, `-e` or `-v`, a terminal gets the REPL
    // (after the version line) and anything else is read as a script.
    let repl = if interactive {
        true
    } else if script_index.is_none() && !has_e && !version {
        if std::io::stdin().is_terminal() {
            println!("{}", rivet::VERSION_TEXT);
            true
        } else {
            if !rt.run_file(None, &[]) {
                return ExitCode::from(1);
            }
            false
        }
    } else {
        false
    };
    if repl {
        let history = rivet::repl::history::history_path(ignore_env);
        rivet::repl::Repl::new(rt).history_file(history).run();
    }
    ExitCode::SUCCESS
}

fn dump_bytecode(path: &str) -> ExitCode {
    let src = match std::fs::read(path) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("rivet: cannot open {path}: {e}");
            return ExitCode::from(1);
        }
    };
    match rivet::lang::compile_source(&src, &format!("@{path}")) {
        Ok(p) => {
            print!("{}", rivet::lang::bytecode::disasm::proto_listing(&p));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("rivet: {e}");
            ExitCode::from(1)
        }
    }
}
