package io.edgeway.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A test's reading of the Prometheus text format: each sample line keyed by its name and its
 * labels in sorted order ({@code edgeway_requests_total{method="GET",route="api",status_class="2xx"}}),
 * so assertions do not depend on the order the registry writes labels in.
 */
record PrometheusText(String raw, Map<String, Double> samples) {

  static PrometheusText parse(String text) {
    Map<String, Double> samples = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int brace = line.indexOf('{');
      int space = line.lastIndexOf(' ');
      String name;
      Map<String, String> labels = new TreeMap<>();
      if (brace >= 0 && brace < space) {
        name = line.substring(0, brace);
        String body = line.substring(brace + 1, line.lastIndexOf('}'));
        int i = 0;
        while (i < body.length()) {
          int eq = body.indexOf('=', i);
          int end = body.indexOf('"', eq + 2);
          while (body.charAt(end - 1) == '\\') {
            end = body.indexOf('"', end + 1);
          }
          labels.put(body.substring(i, eq), body.substring(eq + 2, end));
          i = end + 1;
          if (i < body.length() && body.charAt(i) == ',') {
            i++;
          }
        }
      } else {
        name = line.substring(0, space);
      }
      samples.put(key(name, labels), Double.parseDouble(line.substring(space + 1)));
    }
    return new PrometheusText(text, samples);
  }

  /** The sample's value, or null when absent. {@code labels}: name, value pairs. */
  Double value(String name, String... labels) {
    Map<String, String> sorted = new TreeMap<>();
    for (int i = 0; i < labels.length; i += 2) {
      sorted.put(labels[i], labels[i + 1]);
    }
    return samples.get(key(name, sorted));
  }

  /** Whether any sample of that metric name is present. */
  boolean has(String name) {
    return samples.keySet().stream().anyMatch(k -> k.equals(name) || k.startsWith(name + "{"));
  }

  private static String key(String name, Map<String, String> labels) {
    if (labels.isEmpty()) {
      return name;
    }
    StringBuilder b = new StringBuilder(name).append('{');
    labels.forEach((k, v) -> b.append(k).append("=\"").append(v).append("\","));
    b.setLength(b.length() - 1);
    return b.append('}').toString();
  }
}
