//! Value entries: machine code that calls a C function with arguments taken straight from an
//! interpreter's tagged values and stores its result as one, with no argument block and no
//! stub in between (compiled loops call C functions through them).
//!
//! The ffi crate knows nothing of the interpreter: the shape of its values (a tag word and a
//! payload word), the tags, the answer codes and the addresses of the runtime's flags come in
//! as plain data ([`ValueEntrySpec`]). Only signatures whose arguments all sit in registers and
//! are integers, `bool`, `float` or `double`, with a void, integer, `bool` or
//! floating result, under System V x86-64 on an x86-64 host, get one; anything else is
//! [`JitError::NoValueEntry`] and the caller uses a slower path.
//!
//! An entry is `entry(fnptr, args, out, ctx) -> code` (System V; `ctx` is unused):
//!
//! ```text
//! each argument's tag checked (integer params: integer, or float when the spec says so;
//!   bool: integer, float or boolean; float/double: float or integer) ─ other ─▶ return declined
//! byte at `decline_if_set` nonzero                            ─────────────▶ return declined
//! push rbp; mov rbp, rsp; push rbx, r12, r13; 16-aligned     rbx = out, r12 = fnptr, r13 = args
//! byte at `flush_if_set` nonzero: call `flush` (no arguments)
//! registers <- converted payloads (small integers extended to 32 bits or more)
//! call r12
//! out <- result (tag word, payload word); errno -> *errno_to (after the result is stored:
//!   only stores happen between the call and reading errno)
//! return no_result / one
//! ```

// dynasm! converts run-time register operands with `.into()`, even when they already are u8.
#![allow(clippy::useless_conversion)]

use dynasmrt::x64::X64Relocation;
use dynasmrt::{dynasm, DynasmApi, DynasmLabelApi, VecAssembler};

use super::memory::{self, ErrnoSource, ExecCode};
use crate::abi::{Abi, CallPlan, Ext, Loc, Pass, RetPlan};
use crate::error::JitError;

type Ops = VecAssembler<X64Relocation>;

/// How the interpreter lays out a value: `size` bytes, a tag read as the byte at `tag_offset`
/// (and written as the whole word there), a payload word at `payload_offset`: an `i64` for an
/// integer, an `f64` for a float, a byte 0 or 1 for a boolean.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ValueLayout {
    pub size: u32,
    pub tag_offset: u32,
    pub payload_offset: u32,
    pub boolean: u8,
    pub integer: u8,
    pub float: u8,
}

/// The codes an entry returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EntryCodes {
    /// Nothing happened (an argument of another type, or `decline_if_set` was set).
    pub declined: u64,
    /// The call was made; `out` is untouched (a `void` function).
    pub no_result: u64,
    /// The call was made and `out` holds its result.
    pub one: u64,
}

/// How an argument value becomes a C argument (its width and extension come from the plan).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryArg {
    /// An integer parameter: an integer value, truncated to the parameter's width (as C's
    /// conversion to a narrower type) and extended as its signedness says. With `floats`, a
    /// float value is accepted too, converted as x86-64 converts a `double` to `int64_t`
    /// (toward zero; out of range and NaN give `INT64_MIN`) and then truncated.
    Integer { floats: bool },
    /// A `bool` parameter: an integer or a float (nonzero is true, NaN too) or a boolean.
    Bool,
    /// A `float` or `double` parameter: a float, or an integer converted (to `float` through
    /// `double`, as the interpreter converts it).
    Float,
}

/// How the C result becomes a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryResult {
    Void,
    /// An integer of the plan's result size, sign- or zero-extended to 64 bits (so a 64-bit
    /// unsigned result keeps its bits: it becomes the integer with the same two's complement).
    Integer {
        signed: bool,
    },
    /// A `bool`: the low byte nonzero is true.
    Bool,
    /// A `float` (widened to `double`) or a `double`.
    Float,
}

/// What an entry is made from.
#[derive(Clone, Copy, Debug)]
pub struct ValueEntrySpec<'a> {
    /// The call plan of the signature (the host's System V convention, not variadic).
    pub plan: &'a CallPlan,
    /// One per argument of the plan.
    pub args: &'a [EntryArg],
    pub result: EntryResult,
    pub layout: ValueLayout,
    pub codes: EntryCodes,
    /// A byte that, when nonzero, makes every call decline (read on each call).
    pub decline_if_set: *const u8,
    /// A byte that, when nonzero, makes the entry call `flush` (a System V function with no
    /// arguments and no result) before loading the arguments.
    pub flush_if_set: *const u8,
    pub flush: unsafe extern "sysv64" fn(),
    /// Where the entry stores the C library's `errno` right after the call.
    pub errno_to: *mut i32,
}

/// The signature of an entry; see the [module documentation](self).
pub type ValueEntryFn = unsafe extern "sysv64" fn(fnptr: usize, args: *const u8, out: *mut u8, ctx: *mut u8) -> u64;

/// An entry in executable memory (unmapped when dropped).
#[derive(Debug)]
pub struct ValueEntry {
    code: ExecCode,
}

impl ValueEntry {
    /// Emits the entry `spec` describes.
    ///
    /// # Safety
    /// 1. The addresses in `spec` (`decline_if_set`, `flush_if_set`, `errno_to`) stay valid
    ///    for as long as the entry is called, and `flush` may be called whenever the entry is.
    pub unsafe fn new(spec: &ValueEntrySpec<'_>) -> Result<ValueEntry, JitError> {
        if spec.plan.abi != Abi::SysvX64 || !memory::host_runs_x64_stubs() {
            return Err(JitError::ForeignIsa { abi: spec.plan.abi.name() });
        }
        let bytes = emit(spec, memory::errno_source())?;
        Ok(ValueEntry { code: ExecCode::new(&bytes)? })
    }

    /// The entry point. Calling it is sound when `fnptr` is a function with the signature and
    /// convention of the plan, `args` points at as many values as the plan has arguments
    /// (laid out as [`ValueLayout`] says), `out` at a writable value, and obligation 1 of
    /// [`ValueEntry::new`] holds.
    pub fn entry(&self) -> ValueEntryFn {
        // SAFETY: the code is a complete x86-64 System V function with exactly the parameters
        // and result of `ValueEntryFn` (`emit`), in executable memory that stays mapped while
        // `self.code` lives; the caller keeps the entry alive while it uses the pointer.
        unsafe { std::mem::transmute::<*const u8, ValueEntryFn>(self.code.entry()) }
    }

    /// Bytes of machine code.
    pub fn code_len(&self) -> usize {
        self.code.len()
    }
}

fn no_entry(why: &str) -> JitError {
    JitError::NoValueEntry(why.to_string())
}

/// Where each argument goes: its register and width (checked: one register part each).
fn argument_registers(spec: &ValueEntrySpec<'_>) -> Result<Vec<(EntryArg, Loc, u32, Ext)>, JitError> {
    let plan = spec.plan;
    if plan.variadic || plan.args.len() != spec.args.len() {
        return Err(no_entry("variadic, or arguments not described"));
    }
    plan.args
        .iter()
        .zip(spec.args)
        .map(|(a, &kind)| {
            let Pass::Direct(parts) = &a.pass else { return Err(no_entry("an argument not passed directly")) };
            let [part] = parts.as_slice() else { return Err(no_entry("an argument in several parts")) };
            let fits = match (kind, part.loc) {
                (EntryArg::Float, Loc::Vec(_)) => part.size == 4 || part.size == 8,
                (EntryArg::Integer { .. } | EntryArg::Bool, Loc::Gpr(_)) => matches!(part.size, 1 | 2 | 4 | 8),
                _ => false,
            };
            if !fits {
                return Err(no_entry("an argument on the stack or of another kind"));
            }
            Ok((kind, part.loc, part.size, part.ext))
        })
        .collect()
}

/// The size of the result in its register (checked: one part, in rax or xmm0).
fn result_size(spec: &ValueEntrySpec<'_>) -> Result<u32, JitError> {
    match (&spec.plan.ret, spec.result) {
        (RetPlan::Void, EntryResult::Void) => Ok(0),
        (RetPlan::Direct(parts), r) => match (parts.as_slice(), r) {
            ([p], EntryResult::Integer { .. } | EntryResult::Bool) if p.loc == Loc::Gpr(crate::abi::regs::Gpr(0)) => {
                Ok(p.size)
            }
            ([p], EntryResult::Float) if p.loc == Loc::Vec(0) && (p.size == 4 || p.size == 8) => Ok(p.size),
            _ => Err(no_entry("a result of another kind")),
        },
        _ => Err(no_entry("a result of another kind")),
    }
}

fn disp(value: u32) -> Result<i32, JitError> {
    i32::try_from(value).map_err(|_| JitError::Assembler(format!("offset {value} out of range")))
}

/// The machine code of the entry. `errno`: how to read `errno` after the call (`None`: store 0,
/// as a stub that cannot read it leaves its caller's 0).
fn emit(spec: &ValueEntrySpec<'_>, errno: Option<ErrnoSource>) -> Result<Vec<u8>, JitError> {
    let args = argument_registers(spec)?;
    let ret_size = result_size(spec)?;
    let l = spec.layout;
    let (boolean, integer, float) = (l.boolean as i8, l.integer as i8, l.float as i8);
    let mut ops = Ops::new(0);

    // The checks, before the frame: rsi = args.
    for (i, (kind, ..)) in args.iter().enumerate() {
        let tag = disp(i as u32 * l.size + l.tag_offset)?;
        let other = match kind {
            EntryArg::Integer { floats: false } => {
                dynasm!(ops ; .arch x64 ; cmp BYTE [rsi + tag], integer ; jne ->declined);
                continue;
            }
            EntryArg::Integer { floats: true } | EntryArg::Float => float,
            EntryArg::Bool => boolean,
        };
        dynasm!(ops
            ; .arch x64
            ; mov al, BYTE [rsi + tag]
            ; cmp al, integer
            ; je >accepted
        );
        if *kind == EntryArg::Bool {
            dynasm!(ops ; .arch x64 ; cmp al, float ; je >accepted);
        }
        dynasm!(ops
            ; .arch x64
            ; cmp al, other
            ; jne ->declined
            ; accepted:
        );
    }
    dynasm!(ops
        ; .arch x64
        ; mov rax, QWORD spec.decline_if_set as i64
        ; cmp BYTE [rax], 0
        ; jne ->declined
        // After `push rbp` the stack pointer is 16-byte aligned; three pushes and 8 bytes more
        // keep it so at the calls.
        ; push rbp
        ; mov rbp, rsp
        ; push rbx
        ; push r12
        ; push r13
        ; sub rsp, 8
        ; mov rbx, rdx
        ; mov r12, rdi
        ; mov r13, rsi
        ; mov rax, QWORD spec.flush_if_set as i64
        ; cmp BYTE [rax], 0
        ; je >flushed
        ; mov rax, QWORD spec.flush as usize as i64
        ; call rax
        ; flushed:
    );

    // The arguments, from r13 (rax and xmm15 are scratch: neither carries an argument).
    for (i, &(kind, loc, size, ext)) in args.iter().enumerate() {
        let tag = disp(i as u32 * l.size + l.tag_offset)?;
        let at = disp(i as u32 * l.size + l.payload_offset)?;
        match (kind, loc) {
            (EntryArg::Integer { floats }, Loc::Gpr(r)) => {
                if floats {
                    dynasm!(ops
                        ; .arch x64
                        ; cmp BYTE [r13 + tag], integer
                        ; je >is_integer
                        ; cvttsd2si rax, QWORD [r13 + at]
                        ; jmp >converted
                        ; is_integer:
                        ; mov rax, QWORD [r13 + at]
                        ; converted:
                    );
                } else {
                    dynasm!(ops ; .arch x64 ; mov rax, QWORD [r13 + at]);
                }
                // C's conversion to a narrower integer keeps the low bytes; the callee gets them
                // extended to at least 32 bits as its type's signedness says.
                let r = r.0;
                match (size, ext) {
                    (1, Ext::Sign) => dynasm!(ops ; .arch x64 ; movsx Rq(r), al),
                    (1, _) => dynasm!(ops ; .arch x64 ; movzx Rd(r), al),
                    (2, Ext::Sign) => dynasm!(ops ; .arch x64 ; movsx Rq(r), ax),
                    (2, _) => dynasm!(ops ; .arch x64 ; movzx Rd(r), ax),
                    (4, _) => dynasm!(ops ; .arch x64 ; mov Rd(r), eax),
                    _ => dynasm!(ops ; .arch x64 ; mov Rq(r), rax),
                }
            }
            (EntryArg::Bool, Loc::Gpr(r)) => {
                // A boolean's payload byte is 0 or 1 already; an integer is true when nonzero, a
                // float when it compares unequal to zero (NaN included: unordered sets PF).
                // Only rax and xmm15 are touched: earlier arguments are in their registers.
                let r = r.0;
                dynasm!(ops
                    ; .arch x64
                    ; mov al, BYTE [r13 + tag]
                    ; cmp al, boolean
                    ; je >is_bool
                    ; cmp al, float
                    ; je >is_float
                    ; cmp QWORD [r13 + at], 0
                    ; setne al
                    ; jmp >done
                    ; is_float:
                    ; xorps xmm15, xmm15
                    ; ucomisd xmm15, QWORD [r13 + at]
                    ; mov al, 1
                    ; jp >done
                    ; setne al
                    ; jmp >done
                    ; is_bool:
                    ; mov al, BYTE [r13 + at]
                    ; done:
                    ; movzx Rd(r), al
                );
            }
            (EntryArg::Float, Loc::Vec(x)) => {
                if size == 8 {
                    dynasm!(ops
                        ; .arch x64
                        ; cmp BYTE [r13 + tag], integer
                        ; jne >is_float
                        ; cvtsi2sd Rx(x), QWORD [r13 + at]
                        ; jmp >done
                        ; is_float:
                        ; movsd Rx(x), QWORD [r13 + at]
                        ; done:
                    );
                } else {
                    dynasm!(ops
                        ; .arch x64
                        ; cmp BYTE [r13 + tag], integer
                        ; jne >is_float
                        ; cvtsi2sd xmm15, QWORD [r13 + at]
                        ; cvtsd2ss Rx(x), xmm15
                        ; jmp >done
                        ; is_float:
                        ; cvtsd2ss Rx(x), QWORD [r13 + at]
                        ; done:
                    );
                }
            }
            _ => unreachable!("checked by argument_registers"),
        }
    }
    dynasm!(ops ; .arch x64 ; call r12);

    // The result, into `out` (rbx): stores only, so errno is still the callee's.
    let (tag_at, payload_at) = (disp(l.tag_offset)?, disp(l.payload_offset)?);
    let code = match spec.result {
        EntryResult::Void => spec.codes.no_result,
        EntryResult::Integer { signed } => {
            match (ret_size, signed) {
                (1, true) => dynasm!(ops ; .arch x64 ; movsx rax, al),
                (1, false) => dynasm!(ops ; .arch x64 ; movzx eax, al),
                (2, true) => dynasm!(ops ; .arch x64 ; movsx rax, ax),
                (2, false) => dynasm!(ops ; .arch x64 ; movzx eax, ax),
                (4, true) => dynasm!(ops ; .arch x64 ; movsxd rax, eax),
                (4, false) => dynasm!(ops ; .arch x64 ; mov eax, eax),
                _ => {}
            }
            dynasm!(ops
                ; .arch x64
                ; mov QWORD [rbx + tag_at], integer as i32
                ; mov QWORD [rbx + payload_at], rax
            );
            spec.codes.one
        }
        EntryResult::Bool => {
            dynasm!(ops
                ; .arch x64
                ; test al, al
                ; setne al
                ; movzx eax, al
                ; mov QWORD [rbx + tag_at], boolean as i32
                ; mov QWORD [rbx + payload_at], rax
            );
            spec.codes.one
        }
        EntryResult::Float => {
            if ret_size == 4 {
                dynasm!(ops ; .arch x64 ; cvtss2sd xmm0, xmm0);
            }
            dynasm!(ops
                ; .arch x64
                ; mov QWORD [rbx + tag_at], float as i32
                ; movsd QWORD [rbx + payload_at], xmm0
            );
            spec.codes.one
        }
    };

    let errno_to = spec.errno_to as i64;
    match errno {
        Some(ErrnoSource::ThreadPointerOffset(offset)) => dynasm!(ops
            ; .arch x64
            ; fs mov ecx, DWORD [offset]
        ),
        Some(ErrnoSource::LocationFunction(function)) => dynasm!(ops
            ; .arch x64
            ; mov rax, QWORD function as i64
            ; call rax
            ; mov ecx, DWORD [rax]
        ),
        None => dynasm!(ops ; .arch x64 ; xor ecx, ecx),
    }
    dynasm!(ops
        ; .arch x64
        ; mov rax, QWORD errno_to
        ; mov DWORD [rax], ecx
        ; mov rax, QWORD code as i64
        ; lea rsp, [rbp - 24]
        ; pop r13
        ; pop r12
        ; pop rbx
        ; pop rbp
        ; ret
        ; ->declined:
        ; mov rax, QWORD spec.codes.declined as i64
        ; ret
    );
    ops.finalize().map_err(|e| JitError::Assembler(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::abi::plan_call;
    use crate::{CTypeTable, Target};

    /// Values as a 16-byte tag word and payload word, with made-up tags.
    const LAYOUT: ValueLayout =
        ValueLayout { size: 16, tag_offset: 0, payload_offset: 8, boolean: 11, integer: 12, float: 13 };
    const CODES: EntryCodes = EntryCodes { declined: 100, no_result: 101, one: 102 };

    #[repr(C)]
    #[derive(Clone, Copy)]
    struct Slot {
        tag: u64,
        payload: u64,
    }

    fn plan(types: &mut CTypeTable, ty: &str) -> CallPlan {
        let f = types.parse_type(ty, &[]).unwrap();
        plan_call(types, f, &[], None, Target::X86_64_LINUX).unwrap()
    }

    static NEVER: u8 = 0;
    unsafe extern "sysv64" fn no_flush() {}

    fn spec<'a>(plan: &'a CallPlan, args: &'a [EntryArg], result: EntryResult, errno: &mut i32) -> ValueEntrySpec<'a> {
        ValueEntrySpec {
            plan,
            args,
            result,
            layout: LAYOUT,
            codes: CODES,
            decline_if_set: &NEVER,
            flush_if_set: &NEVER,
            flush: no_flush,
            errno_to: errno,
        }
    }

    #[test]
    fn calls_with_converted_arguments_and_declines_other_tags() {
        extern "C" fn scale(a: i16, b: f64) -> f64 {
            a as f64 * b
        }
        let mut t = CTypeTable::new(Target::X86_64_LINUX);
        let p = plan(&mut t, "double (*)(short, double)");
        let args = [EntryArg::Integer { floats: true }, EntryArg::Float];
        let mut errno = -1;
        // SAFETY: `NEVER`, `no_flush` and `errno` outlive the entry.
        let entry = match unsafe { ValueEntry::new(&spec(&p, &args, EntryResult::Float, &mut errno)) } {
            Ok(entry) => entry,
            Err(JitError::ForeignIsa { .. }) => return, // not an x86-64 System V host
            Err(e) => panic!("{e}"),
        };
        let run = |a: Slot, b: Slot| {
            let values = [a, b];
            let mut out = Slot { tag: 0, payload: 0 };
            // SAFETY: `scale` has the planned signature; two values, one result slot.
            let code = unsafe {
                (entry.entry())(
                    scale as *const () as usize,
                    values.as_ptr().cast(),
                    (&mut out as *mut Slot).cast(),
                    std::ptr::null_mut(),
                )
            };
            (code, out.tag, f64::from_bits(out.payload))
        };
        let int = |i: i64| Slot { tag: 12, payload: i as u64 };
        let float = |f: f64| Slot { tag: 13, payload: f.to_bits() };
        // The function called directly with the arguments converted as C converts them.
        assert_eq!(run(int(0x18003), float(0.5)), (102, 13, scale(0x18003i64 as i16, 0.5)));
        assert_eq!(run(float(2.9), int(3)), (102, 13, scale(2.9f64 as i16, 3.0)));
        assert_eq!(run(Slot { tag: 11, payload: 1 }, int(3)).0, 100);
        assert_eq!(run(int(1), Slot { tag: 0, payload: 0 }).0, 100);
    }

    #[test]
    fn only_register_numbers_get_an_entry() {
        let mut t = CTypeTable::new(Target::X86_64_LINUX);
        let mut errno = 0;
        let seven = plan(&mut t, "int (*)(int, int, int, int, int, int, int)");
        let args = [EntryArg::Integer { floats: true }; 7];
        let err = emit(&spec(&seven, &args, EntryResult::Integer { signed: true }, &mut errno), None);
        assert!(matches!(err, Err(JitError::NoValueEntry(_))), "the seventh goes on the stack");
        let pointer = plan(&mut t, "int (*)(int *)");
        let err = emit(&spec(&pointer, &[EntryArg::Integer { floats: false }], EntryResult::Void, &mut errno), None);
        assert!(matches!(err, Err(JitError::NoValueEntry(_))), "described as a result it is not");
    }
}
