package dev.atomic.system.seccomp;

/**
 * One comparison of a call's argument (struct scmp_arg_cmp); a rule matches when all of its comparisons hold.
 * Arguments are compared as the 64-bit registers the kernel sees.
 * <p>
 * That matters for arguments the kernel reads as 32-bit {@code int}s (a socket family, a pid, an ioctl request): a
 * caller can set the upper 32 bits to anything and the kernel ignores them, so {@code eq(0, AF_INET)} would miss
 * {@code socket(0x1_0000_0002, ...)}. To deny a value of such an argument use {@link #int32Eq}, which masks the
 * upper half off. {@link #ne} is safe the other way: a rule that allows only the exact 64-bit value lets nothing
 * else through.
 */
public record Arg(int index, Op op, long datumA, long datumB) {
    /** enum scmp_compare. */
    public enum Op {
        NE(1), LT(2), LE(3), EQ(4), GE(5), GT(6), MASKED_EQ(7);

        final int value;

        Op(int value) {
            this.value = value;
        }
    }

    private static final int MAX_ARGS = 6;
    private static final long LOW_32 = 0xffff_ffffL;

    public Arg {
        if (index < 0 || index >= MAX_ARGS) {
            throw new IllegalArgumentException("a system call has arguments 0.." + (MAX_ARGS - 1) + ": " + index);
        }
    }

    public static Arg eq(int index, long value) {
        return new Arg(index, Op.EQ, value, 0);
    }

    public static Arg ne(int index, long value) {
        return new Arg(index, Op.NE, value, 0);
    }

    /** {@code (arg & mask) == value}. */
    public static Arg maskedEq(int index, long mask, long value) {
        return new Arg(index, Op.MASKED_EQ, mask, value);
    }

    /** The bit {@code flag} is set. To match any of several flags, write one rule per flag: rules are alternatives. */
    public static Arg hasFlag(int index, long flag) {
        if (Long.bitCount(flag) != 1) {
            throw new IllegalArgumentException("one flag bit at a time: 0x" + Long.toHexString(flag));
        }
        return maskedEq(index, flag, flag);
    }

    /** The low 32 bits equal {@code value}: for arguments the kernel reads as {@code int}. */
    public static Arg int32Eq(int index, int value) {
        return maskedEq(index, LOW_32, value & LOW_32);
    }

    @Override
    public String toString() {
        String arg = "arg" + index;
        return switch (op) {
            case MASKED_EQ -> datumA == LOW_32 ? "(int) " + arg + " == " + datumB
                    : Long.bitCount(datumA) == 1 && datumA == datumB ? arg + " has 0x" + Long.toHexString(datumA)
                    : arg + " & 0x" + Long.toHexString(datumA) + " == 0x" + Long.toHexString(datumB);
            case NE -> arg + " != " + datumA;
            case LT -> arg + " < " + datumA;
            case LE -> arg + " <= " + datumA;
            case EQ -> arg + " == " + datumA;
            case GE -> arg + " >= " + datumA;
            case GT -> arg + " > " + datumA;
        };
    }
}
