package io.edgeway.spi;

/**
 * A share written as {@code 50%} in configuration (a bare number is read as percent too).
 *
 * @param percent the value in percent, 0 to 100
 */
public record Percentage(double percent) {

  /** Validates the range. */
  public Percentage {
    if (!(percent >= 0 && percent <= 100)) {
      throw new IllegalArgumentException(percent + "% (expected: 0% to 100%)");
    }
  }

  /** The value as a fraction from 0 to 1. */
  public double fraction() {
    return percent / 100.0;
  }

  /**
   * Parses {@code 50%} or {@code 50}.
   *
   * @throws IllegalArgumentException when the text is not a percentage from 0 to 100
   */
  public static Percentage parse(String text) {
    String s = text.trim();
    if (s.endsWith("%")) {
      s = s.substring(0, s.length() - 1).trim();
    }
    try {
      return new Percentage(Double.parseDouble(s));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(text + " (expected: a percentage such as 50%)");
    }
  }

  @Override
  public String toString() {
    return (percent == Math.rint(percent) ? String.valueOf((long) percent) : String.valueOf(percent)) + "%";
  }
}
