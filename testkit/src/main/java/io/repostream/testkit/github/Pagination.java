package io.repostream.testkit.github;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GitHub's page-based pagination: {@code per_page} (default 30, at most 100) and {@code page} (from
 * 1), with a {@code Link} header naming the first, previous, next and last pages.
 */
final class Pagination<T> {
    static final int DEFAULT_PER_PAGE = 30;
    static final int MAX_PER_PAGE = 100;

    final List<T> items;
    private final int page;
    private final int perPage;
    private final int lastPage;

    private Pagination(List<T> items, int page, int perPage, int lastPage) {
        this.items = items;
        this.page = page;
        this.perPage = perPage;
        this.lastPage = lastPage;
    }

    static <T> Pagination<T> of(List<T> all, ApiRequest request) {
        int perPage =
                Math.min(MAX_PER_PAGE, positive(request.query().get("per_page"), DEFAULT_PER_PAGE));
        int page = positive(request.query().get("page"), 1);
        int lastPage = Math.max(1, (all.size() + perPage - 1) / perPage);
        int from = (int) Math.min(all.size(), (long) (page - 1) * perPage);
        int to = Math.min(all.size(), from + perPage);
        return new Pagination<>(new ArrayList<>(all.subList(from, to)), page, perPage, lastPage);
    }

    /** The {@code Link} header for this page, or null when everything fits on one page. */
    String linkHeader(String api, ApiRequest request) {
        if (lastPage == 1 && page == 1) {
            return null;
        }
        List<String> links = new ArrayList<>();
        if (page < lastPage) {
            links.add(link(api, request, page + 1, "next"));
            links.add(link(api, request, lastPage, "last"));
        }
        if (page > 1) {
            links.add(link(api, request, 1, "first"));
            links.add(link(api, request, Math.min(page - 1, lastPage), "prev"));
        }
        return links.isEmpty() ? null : String.join(", ", links);
    }

    ApiResponse respond(ApiResponse response, String api, ApiRequest request) {
        String link = linkHeader(api, request);
        return link == null ? response : response.header("Link", link);
    }

    private String link(String api, ApiRequest request, int target, String rel) {
        Map<String, String> query = new LinkedHashMap<>(request.query());
        query.put("per_page", String.valueOf(perPage));
        query.put("page", String.valueOf(target));
        StringBuilder url = new StringBuilder(api).append(request.path()).append('?');
        query.forEach((k, v) -> url.append(encode(k)).append('=').append(encode(v)).append('&'));
        url.setLength(url.length() - 1);
        return "<" + url + ">; rel=\"" + rel + "\"";
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static int positive(String value, int fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            return parsed > 0 ? parsed : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
