package io.repostream.helm;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

/** Metric names in a Prometheus text exposition, scraped over HTTP. */
final class Exposition {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Exposition() {}

    static String scrape(String url) {
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(5))
                        .GET()
                        .build();
        try {
            HttpResponse<String> response =
                    HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(url + " answered " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException("cannot scrape " + url + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted scraping " + url, e);
        }
    }

    /**
     * Names of the samples, plus the series a declared metric yields even before it has a sample (a
     * counter's {@code _total}, a histogram's {@code _bucket}, {@code _count} and {@code _sum}).
     */
    static Set<String> names(String exposition) {
        Set<String> names = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.split(" ");
                if (parts.length >= 4) {
                    names.addAll(series(parts[2], parts[3]));
                }
                continue;
            }
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int end = 0;
            while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
                end++;
            }
            names.add(line.substring(0, end));
        }
        return names;
    }

    /** Every label value of every sample, as {@code metric|label|value}. */
    static Set<String> labelValues(String exposition) {
        Set<String> out = new TreeSet<>();
        java.util.regex.Pattern label =
                java.util.regex.Pattern.compile(
                        "([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
        for (String line : exposition.split("\n")) {
            int open = line.indexOf('{');
            if (line.startsWith("#") || open < 0) {
                continue;
            }
            String name = line.substring(0, open);
            int close = line.lastIndexOf('}');
            java.util.regex.Matcher m = label.matcher(line.substring(open + 1, close));
            while (m.find()) {
                out.add(name + "|" + m.group(1) + "|" + m.group(2));
            }
        }
        return out;
    }

    private static Set<String> series(String name, String type) {
        return switch (type) {
            case "counter" -> Set.of(name.endsWith("_total") ? name : name + "_total");
            case "histogram" -> Set.of(name + "_bucket", name + "_count", name + "_sum");
            case "summary" -> Set.of(name, name + "_count", name + "_sum");
            default -> Set.of(name);
        };
    }
}
