package dev.atomic.bench;

import org.HdrHistogram.Histogram;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.zip.DataFormatException;

/**
 * What a client measured: {@code count} messages in {@code elapsedNanos} and, for ping-pong runs, every round
 * trip's time in nanoseconds (empty for pipelined runs, where one message's time means little).
 */
record Measurement(long count, long elapsedNanos, Histogram histogram) {
    /** Longer than any round trip can take; the histogram keeps 3 significant digits below it. */
    static final long HIGHEST_NANOS = TimeUnit.MINUTES.toNanos(1);

    static Histogram newHistogram() {
        return new Histogram(HIGHEST_NANOS, 3);
    }

    /** Messages per second over the measured window. */
    double perSecond() {
        return count * 1e9 / elapsedNanos;
    }

    double micros(double percentile) {
        return histogram.getValueAtPercentile(percentile) / 1000.0;
    }

    /** Several rounds of the same run as one: all samples, all time. */
    Measurement plus(Measurement other) {
        Histogram sum = histogram.copy();
        sum.add(other.histogram);
        return new Measurement(count + other.count, elapsedNanos + other.elapsedNanos, sum);
    }

    /** One line for the client's standard output: count, nanoseconds, the compressed histogram in base64. */
    String encode() {
        ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        int length = histogram.encodeIntoCompressedByteBuffer(buffer);
        byte[] bytes = Arrays.copyOf(buffer.array(), length);
        return count + " " + elapsedNanos + " " + Base64.getEncoder().encodeToString(bytes);
    }

    static Measurement decode(String line) {
        String[] parts = line.strip().split(" ");
        if (parts.length != 3) {
            throw new IllegalArgumentException("not a measurement: " + line);
        }
        try {
            Histogram h = Histogram.decodeFromCompressedByteBuffer(
                    ByteBuffer.wrap(Base64.getDecoder().decode(parts[2])), HIGHEST_NANOS);
            return new Measurement(Long.parseLong(parts[0]), Long.parseLong(parts[1]), h);
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("corrupt histogram in a measurement", e);
        }
    }
}
