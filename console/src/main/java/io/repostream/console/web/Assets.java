package io.repostream.console.web;

import org.webjars.WebJarVersionLocator;

/** Where the pages load their scripts from: WebJars on the classpath, served under /webjars. */
public record Assets(String htmx, String htmxSse, String uplot, String uplotCss) {

    public static Assets fromWebJars() {
        WebJarVersionLocator locator = new WebJarVersionLocator();
        return new Assets(
                path(locator, "htmx.org", "dist/htmx.min.js"),
                path(locator, "htmx-ext-sse", "sse.js"),
                path(locator, "uplot", "dist/uPlot.iife.min.js"),
                path(locator, "uplot", "dist/uPlot.min.css"));
    }

    private static String path(WebJarVersionLocator locator, String webJar, String file) {
        String full = locator.fullPath(webJar, file);
        if (full == null) {
            throw new IllegalStateException("the WebJar " + webJar + " has no " + file);
        }
        // META-INF/resources/webjars/htmx.org/2.0.4/dist/htmx.min.js -> /webjars/htmx.org/...
        return "/" + full.substring(full.indexOf("webjars/"));
    }
}
