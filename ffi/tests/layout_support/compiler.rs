//! The C compilers that serve as the oracle for each target, found on this machine, and
//! running one of them to assembly.
//!
//! A missing compiler fails the test with the command that installs it: layout checks never
//! skip silently.

use std::path::PathBuf;
use std::process::Command;

use rivet_ffi::Target;

/// A compiler invocation that produces assembly for one target.
pub struct Compiler {
    pub program: String,
    pub args: Vec<String>,
    /// Size of `.word` in this target's assembly.
    pub word: usize,
    pub description: String,
    /// Clang standing in for GCC (AArch64 Linux without the GNU cross compiler): the two
    /// disagree on bit-fields with alignment attributes, so those are not generated.
    pub stand_in_for_gcc: bool,
}

fn on_path(program: &str) -> bool {
    Command::new(program).arg("--version").output().map(|o| o.status.success()).unwrap_or(false)
}

fn clang(target_triple: &str, word: usize) -> Compiler {
    if !on_path("clang") {
        panic!(
            "clang is needed to check layouts for {target_triple} (it implements that target's C layout rules); \
             install it with `apt-get install -y clang`"
        );
    }
    Compiler {
        program: "clang".into(),
        args: vec![format!("--target={target_triple}")],
        word,
        description: format!("clang --target={target_triple}"),
        stand_in_for_gcc: false,
    }
}

/// The oracle for `target`.
pub fn for_target(target: Target) -> Compiler {
    match target.name() {
        "x86_64-linux" | "i386-linux" => {
            if !on_path("gcc") {
                panic!("gcc is needed to check layouts; install it with `apt-get install -y gcc gcc-multilib`");
            }
            let m = if target == Target::I386_LINUX { "-m32" } else { "-m64" };
            Compiler {
                program: "gcc".into(),
                args: vec![m.into()],
                word: 2,
                description: format!("gcc {m}"),
                stand_in_for_gcc: false,
            }
        }
        "aarch64-linux" => {
            // The GNU cross compiler when present (RIVET_AARCH64_GCC names another one), else
            // Clang, which follows the same AAPCS64 layout rules.
            let gcc = std::env::var("RIVET_AARCH64_GCC").unwrap_or_else(|_| "aarch64-linux-gnu-gcc-12".into());
            if on_path(&gcc) {
                Compiler { program: gcc.clone(), args: vec![], word: 4, description: gcc, stand_in_for_gcc: false }
            } else {
                Compiler { stand_in_for_gcc: true, ..clang("aarch64-linux-gnu", 4) }
            }
        }
        "aarch64-macos" => clang("arm64-apple-macos11", 4),
        "x86_64-windows" => clang("x86_64-pc-windows-msvc", 2),
        "i386-windows" => clang("i686-pc-windows-msvc", 2),
        "aarch64-windows" => clang("aarch64-pc-windows-msvc", 4),
        other => panic!("no oracle compiler for {other}"),
    }
}

impl Compiler {
    /// Compiles `source` to assembly and returns it.
    pub fn assembly(&self, source: &str, scratch_name: &str) -> String {
        // One directory per target: the tests of several targets run in parallel.
        let dir = std::env::temp_dir().join(format!("rivet-layout-{}-{scratch_name}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temporary directory");
        let c_file: PathBuf = dir.join(format!("{scratch_name}.c"));
        std::fs::write(&c_file, source).expect("write C file");
        let output = Command::new(&self.program)
            .args(&self.args)
            .args(["-S", "-O0", "-w", "-std=gnu11", "-o", "-"])
            .arg(&c_file)
            .output()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", self.description));
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            if self.args.iter().any(|a| a == "-m32") && stderr.contains("-m32") {
                panic!(
                    "`gcc -m32` does not work here; install gcc-multilib (`apt-get install -y gcc-multilib`)\n{stderr}"
                );
            }
            panic!("{} failed on {}:\n{stderr}", self.description, c_file.display());
        }
        let _ = std::fs::remove_dir_all(&dir);
        String::from_utf8(output.stdout).expect("assembly is text")
    }
}
