package org.kelian.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.InetAddress;
import java.time.LocalDate;
import java.util.Arrays;

/** Small shared pieces of the benchmarks: latency summaries, heap peaks, and a header naming date and machine. */
final class Bench {

  private Bench() {
  }

  static String header(String name) {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      host = "unknown";
    }
    return "# " + name + " — " + LocalDate.now() + ", host " + host + ", " + Runtime.getRuntime().availableProcessors()
        + " cores, Java " + System.getProperty("java.version") + ", max heap " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB";
  }

  /** Latencies in nanoseconds → p50/p95/p99 in milliseconds. */
  record Latency(double p50, double p95, double p99, int count) {
    static Latency of(long[] nanos, int n) {
      long[] s = Arrays.copyOf(nanos, n);
      Arrays.sort(s);
      return new Latency(ms(s, 0.50), ms(s, 0.95), ms(s, 0.99), n);
    }

    private static double ms(long[] sorted, double q) {
      if (sorted.length == 0) {
        return Double.NaN;
      }
      return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }

    @Override
    public String toString() {
      return String.format("p50 %.1f ms, p95 %.1f ms, p99 %.1f ms (n=%d)", p50, p95, p99, count);
    }
  }

  /** Resets and later reads the peak of every heap pool (the sum over-estimates a little: pools peak at different times). */
  static void resetHeapPeak() {
    System.gc();
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        p.resetPeakUsage();
      }
    }
  }

  static long heapPeakBytes() {
    long sum = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        sum += p.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  /** The latencies of all workers in one array: each worker filled {@code counts[w]} slots of its own row. */
  static long[] merge(long[][] perWorker, int[] counts) {
    int total = 0;
    for (int c : counts) {
      total += c;
    }
    long[] all = new long[total];
    int k = 0;
    for (int w = 0; w < counts.length; w++) {
      System.arraycopy(perWorker[w], 0, all, k, counts[w]);
      k += counts[w];
    }
    return all;
  }
}
