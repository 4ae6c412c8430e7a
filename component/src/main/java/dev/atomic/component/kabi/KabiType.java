package dev.atomic.component.kabi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** The types a service method takes and returns, their Java types, and how each crosses the bridge. */
public enum KabiType {
    BYTES("bytes", byte[].class, -1),
    STRING("string", String.class, -1),
    I32("i32", int.class, 4),
    I64("i64", long.class, 8),
    BOOL("bool", boolean.class, 1),
    /** Results only. */
    VOID("void", void.class, 0);

    private final String word;
    private final Class<?> java;
    /** Bytes on the wire, or -1 for a value of any length. */
    private final int size;

    KabiType(String word, Class<?> java, int size) {
        this.word = word;
        this.java = java;
        this.size = size;
    }

    /** The IDL's name for it. */
    public String word() {
        return word;
    }

    public Class<?> javaType() {
        return java;
    }

    boolean fixed() {
        return size >= 0;
    }

    static KabiType ofWord(String word) {
        for (KabiType t : values()) {
            if (t.word.equals(word)) {
                return t;
            }
        }
        return null;
    }

    static KabiType ofJava(Class<?> type) {
        for (KabiType t : values()) {
            if (t.java == type) {
                return t;
            }
        }
        return null;
    }

    /** The value a default result is written as, or an exception saying why it is not one of this type. */
    Object parse(String literal) {
        switch (this) {
            case STRING:
                return literal;
            case BYTES:
                return literal.getBytes(StandardCharsets.UTF_8);
            case BOOL:
                if (literal.equals("true") || literal.equals("false")) {
                    return Boolean.parseBoolean(literal);
                }
                throw new IllegalArgumentException("a bool default is true or false, not '" + literal + "'");
            case I32:
            case I64:
                try {
                    return this == I32 ? (Object) Integer.parseInt(literal) : (Object) Long.parseLong(literal);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("an " + word + " default is a decimal integer that fits it, not '"
                            + literal + "'");
                }
            default:
                throw new IllegalArgumentException("a void method has no default result");
        }
    }

    /** Adds a value; {@code last} values of variable length take the rest of the payload, others a length first. */
    void write(ByteBuffer out, Object value, boolean last) {
        switch (this) {
            case I32 -> out.putInt((Integer) value);
            case I64 -> out.putLong((Long) value);
            case BOOL -> out.put((byte) ((Boolean) value ? 1 : 0));
            case VOID -> {
            }
            default -> {
                byte[] bytes = this == STRING ? ((String) value).getBytes(StandardCharsets.UTF_8) : (byte[]) value;
                if (!last) {
                    out.putInt(bytes.length);
                }
                out.put(bytes);
            }
        }
    }

    /** Bytes {@link #write} needs for a value. */
    int sizeOf(Object value, boolean last) {
        if (fixed()) {
            return size;
        }
        int length = this == STRING ? ((String) value).getBytes(StandardCharsets.UTF_8).length : ((byte[]) value).length;
        return length + (last ? 0 : 4);
    }

    Object read(ByteBuffer in, boolean last) {
        if (in.remaining() < Math.max(size, last ? 0 : 4)) {
            throw new IllegalArgumentException("a " + word + " value is cut short: " + in.remaining() + " byte(s) left");
        }
        return switch (this) {
            case I32 -> in.getInt();
            case I64 -> in.getLong();
            case BOOL -> in.get() != 0;
            case VOID -> null;
            default -> {
                int length = last ? in.remaining() : in.getInt();
                if (length < 0 || length > in.remaining()) {
                    throw new IllegalArgumentException("a " + word + " value of " + length + " bytes does not fit the "
                            + in.remaining() + " left");
                }
                byte[] bytes = new byte[length];
                in.get(bytes);
                yield this == STRING ? new String(bytes, StandardCharsets.UTF_8) : bytes;
            }
        };
    }

    static ByteBuffer buffer(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    static ByteBuffer wrap(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }
}
