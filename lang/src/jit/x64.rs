//! The loop compiler's x86-64 emitter: a [`LoopPlan`] to machine code, with dynasmrt.
//!
//! A compiled loop is entered with the System V convention as
//! `loop(regs, lua, constants, base, interrupt) -> pc` and returns the index of the
//! instruction where the interpreter goes on: after the `ForLoop` when the loop ends, or the
//! instruction whose checks failed. Registers while it runs:
//!
//! ```text
//! rbx = regs (R[0] of the frame)   r12 = the runtime   r13 = the constants
//! r14 = the interrupt flag         r15 = base (the frame's first register, a stack index)
//! ```
//! Every Lua register stays in its stack slot (a tag word at +0, a payload word at +8), so
//! stopping anywhere between two instructions leaves the interpreter's state exact.

// dynasm! converts run-time register operands with `.into()`, even when they already are u8.
#![allow(clippy::useless_conversion)]

use super::plan::{ArithKind, LoopPlan, Operand, Step};
use crate::vm::userdata::{NATIVE_NEW_OBJECT, NATIVE_NO_RESULT};
use crate::vm::value::tag;
use dynasmrt::x64::Assembler;
use dynasmrt::{dynasm, AssemblyOffset, DynamicLabel, DynasmApi, DynasmLabelApi, ExecutableBuffer};

/// The machine code of a compiled loop: `(regs, lua, constants, base, interrupt) -> pc`.
pub(crate) type LoopEntry = unsafe extern "sysv64" fn(
    regs: *mut crate::Value,
    lua: *mut crate::Lua,
    constants: *const crate::Value,
    base: usize,
    interrupt: *const u8,
) -> u64;

/// Called by a compiled loop after a call made a new object: reaches a GC safe point when
/// one is due, with the frame's registers live up to `live` (relative to `base`), and
/// returns where the frame's registers are now.
pub(crate) type SafePointFn =
    unsafe extern "sysv64" fn(lua: *mut crate::Lua, base: usize, live: usize) -> *mut crate::Value;

/// A compiled loop's code, and its entry.
pub(crate) struct LoopCode {
    _buffer: ExecutableBuffer,
    pub entry: LoopEntry,
}

/// Byte offset of register `r`'s tag word, and of its payload word.
fn tag_at(r: u32) -> i32 {
    (r * 16) as i32
}
fn word_at(r: u32) -> i32 {
    (r * 16 + 8) as i32
}

/// Emits the loop; `None` when the assembler fails (no executable memory).
pub(crate) fn emit_loop(plan: &LoopPlan, safe_point: SafePointFn) -> Option<LoopCode> {
    let mut ops = Assembler::new().ok()?;
    let start: AssemblyOffset = ops.offset();
    let epilogue = ops.new_dynamic_label();
    let top = ops.new_dynamic_label();
    // Exits: one per instruction that can stop the loop, each `eax = pc; jmp epilogue`.
    let mut exits: Vec<(DynamicLabel, usize)> = Vec::new();
    let mut exit_at = |ops: &mut Assembler, pc: usize| {
        let l = ops.new_dynamic_label();
        exits.push((l, pc));
        l
    };
    dynasm!(ops
        ; .arch x64
        ; push rbx
        ; push r12
        ; push r13
        ; push r14
        ; push r15
        ; mov rbx, rdi
        ; mov r12, rsi
        ; mov r13, rdx
        ; mov r15, rcx
        ; mov r14, r8
    );
    // The `for` counters are integers (the interpreter entered from an integer `ForLoop`,
    // and no body instruction writes them): checked once, on entry.
    let at_top = exit_at(&mut ops, plan.body_pc);
    for r in plan.for_a..plan.for_a + 3 {
        dynasm!(ops ; .arch x64 ; cmp BYTE [rbx + tag_at(r)], tag::INT as i8 ; jne =>at_top);
    }
    dynasm!(ops
        ; .arch x64
        ; =>top
        ; cmp BYTE [r14], 0
        ; jne =>at_top
    );
    for step in &plan.steps {
        emit_step(&mut ops, step, &mut exit_at, safe_point);
    }
    // ForLoop: R[A+1] counts the iterations left; R[A] += R[A+2]; R[A+3] := R[A].
    let a = plan.for_a;
    let done = exit_at(&mut ops, plan.forloop_pc + 1);
    dynasm!(ops
        ; .arch x64
        ; mov rax, QWORD [rbx + word_at(a + 1)]
        ; test rax, rax
        ; jz =>done
        ; dec rax
        ; mov QWORD [rbx + word_at(a + 1)], rax
        ; mov rax, QWORD [rbx + word_at(a)]
        ; add rax, QWORD [rbx + word_at(a + 2)]
        ; mov QWORD [rbx + word_at(a)], rax
        ; mov QWORD [rbx + tag_at(a + 3)], tag::INT as i32
        ; mov QWORD [rbx + word_at(a + 3)], rax
        ; jmp =>top
    );
    for (label, pc) in exits {
        dynasm!(ops ; .arch x64 ; =>label ; mov eax, pc as i32 ; jmp =>epilogue);
    }
    dynasm!(ops
        ; .arch x64
        ; =>epilogue
        ; pop r15
        ; pop r14
        ; pop r13
        ; pop r12
        ; pop rbx
        ; ret
    );
    let buffer = ops.finalize().ok()?;
    // SAFETY: the buffer holds the function emitted above from `start`, which follows the
    // System V convention with `LoopEntry`'s parameters (five pushes after the return address
    // keep every call inside it 16-byte aligned), and lives as long as `LoopCode`.
    let entry: LoopEntry = unsafe { std::mem::transmute::<*const u8, LoopEntry>(buffer.ptr(start)) };
    Some(LoopCode { _buffer: buffer, entry })
}

fn emit_step(
    ops: &mut Assembler,
    step: &Step,
    exit_at: &mut impl FnMut(&mut Assembler, usize) -> DynamicLabel,
    safe_point: SafePointFn,
) {
    match *step {
        Step::Move { a, b } => dynasm!(ops
            ; .arch x64
            ; mov rax, QWORD [rbx + tag_at(b)]
            ; mov rcx, QWORD [rbx + word_at(b)]
            ; mov QWORD [rbx + tag_at(a)], rax
            ; mov QWORD [rbx + word_at(a)], rcx
        ),
        Step::LoadInt { a, value } => {
            dynasm!(ops ; .arch x64 ; mov rax, QWORD value);
            store_tagged(ops, a, tag::INT);
        }
        Step::LoadFloat { a, bits } => {
            dynasm!(ops ; .arch x64 ; mov rax, QWORD bits as i64);
            store_tagged(ops, a, tag::FLOAT);
        }
        Step::LoadConst { a, k } => dynasm!(ops
            ; .arch x64
            ; mov rax, QWORD [r13 + tag_at(k)]
            ; mov rcx, QWORD [r13 + word_at(k)]
            ; mov QWORD [rbx + tag_at(a)], rax
            ; mov QWORD [rbx + word_at(a)], rcx
        ),
        Step::LoadBool { a, value } => {
            dynasm!(ops ; .arch x64 ; mov eax, value as i32);
            store_tagged(ops, a, tag::BOOL);
        }
        Step::LoadNil { a, n } => {
            for r in a..a + n {
                dynasm!(ops ; .arch x64 ; mov QWORD [rbx + tag_at(r)], tag::NIL as i32);
            }
        }
        Step::Arith { pc, op, a, x, y } => {
            let exit = exit_at(ops, pc);
            emit_arith(ops, exit, op, a, x, y)
        }
        Step::NativeCall { pc, a, keep_result, callee, call } => {
            let exit = exit_at(ops, pc);
            let no_result = ops.new_dynamic_label();
            let next = ops.new_dynamic_label();
            dynasm!(ops
                ; .arch x64
                // The callee is still the C function the loop was compiled for.
                ; cmp BYTE [rbx + tag_at(a)], tag::USER_DATA as i8
                ; jne =>exit
                ; mov rax, QWORD callee.addr() as i64
                ; cmp QWORD [rbx + word_at(a)], rax
                ; jne =>exit
                ; mov rdi, QWORD call.data as i64
                ; lea rsi, [rbx + tag_at(a + 1)]
                ; lea rdx, [rbx + tag_at(a)]
                ; mov rcx, r12
                ; mov rax, QWORD call.entry as usize as i64
                ; call rax
                // Declined: nothing happened; the interpreter makes the call.
                ; test rax, rax
                ; jz =>exit
                ; cmp rax, NATIVE_NO_RESULT as i32
                ; je =>no_result
                ; cmp rax, NATIVE_NEW_OBJECT as i32
                ; jne =>next
                ; mov rdi, r12
                ; mov rsi, r15
                ; mov rdx, (a + 1) as i32
                ; mov rax, QWORD safe_point as usize as i64
                ; call rax
                ; mov rbx, rax
                ; jmp =>next
                ; =>no_result
            );
            if keep_result {
                dynasm!(ops ; .arch x64 ; mov QWORD [rbx + tag_at(a)], tag::NIL as i32);
            }
            dynasm!(ops ; .arch x64 ; =>next);
        }
    }
}

/// `R[a] := rax` with tag `t`.
fn store_tagged(ops: &mut Assembler, a: u32, t: u8) {
    dynasm!(ops
        ; .arch x64
        ; mov QWORD [rbx + tag_at(a)], t as i32
        ; mov QWORD [rbx + word_at(a)], rax
    );
}

/// `R[a] := x op y`: both integers (wrapping, as Lua's) or both floats; anything else exits.
fn emit_arith(ops: &mut Assembler, exit: DynamicLabel, op: ArithKind, a: u32, x: Operand, y: Operand) {
    let floats = ops.new_dynamic_label();
    let next = ops.new_dynamic_label();
    // Integers.
    check_tag(ops, x, tag::INT, floats);
    check_tag(ops, y, tag::INT, exit);
    load_int(ops, x);
    match (op, y) {
        (ArithKind::Add, Operand::Imm(v)) => dynasm!(ops ; .arch x64 ; add rax, v as i32),
        (ArithKind::Sub, Operand::Imm(v)) => dynasm!(ops ; .arch x64 ; sub rax, v as i32),
        (ArithKind::Mul, Operand::Imm(v)) => dynasm!(ops ; .arch x64 ; imul rax, rax, v as i32),
        (_, Operand::Reg(r)) => int_op(ops, op, Base::Regs, word_at(r)),
        (_, Operand::Const(k)) => int_op(ops, op, Base::Constants, word_at(k)),
    }
    store_tagged(ops, a, tag::INT);
    dynasm!(ops ; .arch x64 ; jmp =>next ; =>floats);
    // Floats.
    check_tag(ops, x, tag::FLOAT, exit);
    match y {
        Operand::Imm(_) => {}
        _ => check_tag(ops, y, tag::FLOAT, exit),
    }
    load_float(ops, x, 0);
    load_float(ops, y, 1);
    match op {
        ArithKind::Add => dynasm!(ops ; .arch x64 ; addsd xmm0, xmm1),
        ArithKind::Sub => dynasm!(ops ; .arch x64 ; subsd xmm0, xmm1),
        ArithKind::Mul => dynasm!(ops ; .arch x64 ; mulsd xmm0, xmm1),
    }
    dynasm!(ops
        ; .arch x64
        ; movq rax, xmm0
    );
    store_tagged(ops, a, tag::FLOAT);
    dynasm!(ops ; .arch x64 ; =>next);
}

/// Which base register an operand's slot is addressed from.
#[derive(Clone, Copy)]
enum Base {
    Regs,
    Constants,
}

fn int_op(ops: &mut Assembler, op: ArithKind, base: Base, disp: i32) {
    match (op, base) {
        (ArithKind::Add, Base::Regs) => dynasm!(ops ; .arch x64 ; add rax, QWORD [rbx + disp]),
        (ArithKind::Sub, Base::Regs) => dynasm!(ops ; .arch x64 ; sub rax, QWORD [rbx + disp]),
        (ArithKind::Mul, Base::Regs) => dynasm!(ops ; .arch x64 ; imul rax, QWORD [rbx + disp]),
        (ArithKind::Add, Base::Constants) => dynasm!(ops ; .arch x64 ; add rax, QWORD [r13 + disp]),
        (ArithKind::Sub, Base::Constants) => dynasm!(ops ; .arch x64 ; sub rax, QWORD [r13 + disp]),
        (ArithKind::Mul, Base::Constants) => dynasm!(ops ; .arch x64 ; imul rax, QWORD [r13 + disp]),
    }
}

/// Jumps to `otherwise` unless operand `x` has tag `t` (an immediate is an integer).
fn check_tag(ops: &mut Assembler, x: Operand, t: u8, otherwise: DynamicLabel) {
    match x {
        Operand::Reg(r) => dynasm!(ops ; .arch x64 ; cmp BYTE [rbx + tag_at(r)], t as i8 ; jne =>otherwise),
        Operand::Const(k) => dynasm!(ops ; .arch x64 ; cmp BYTE [r13 + tag_at(k)], t as i8 ; jne =>otherwise),
        Operand::Imm(_) if t == tag::INT => {}
        Operand::Imm(_) => dynasm!(ops ; .arch x64 ; jmp =>otherwise),
    }
}

/// rax := the integer operand `x` (its tag checked).
fn load_int(ops: &mut Assembler, x: Operand) {
    match x {
        Operand::Reg(r) => dynasm!(ops ; .arch x64 ; mov rax, QWORD [rbx + word_at(r)]),
        Operand::Const(k) => dynasm!(ops ; .arch x64 ; mov rax, QWORD [r13 + word_at(k)]),
        Operand::Imm(v) => dynasm!(ops ; .arch x64 ; mov rax, QWORD v),
    }
}

/// xmm`n` := the float operand `x` (its tag checked; an immediate is converted).
fn load_float(ops: &mut Assembler, x: Operand, n: u8) {
    match x {
        Operand::Reg(r) => dynasm!(ops ; .arch x64 ; movsd Rx(n), QWORD [rbx + word_at(r)]),
        Operand::Const(k) => dynasm!(ops ; .arch x64 ; movsd Rx(n), QWORD [r13 + word_at(k)]),
        Operand::Imm(v) => dynasm!(ops
            ; .arch x64
            ; mov rax, QWORD (v as f64).to_bits() as i64
            ; movq Rx(n), rax
        ),
    }
}
