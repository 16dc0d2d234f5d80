package io.repostream.testkit.github;

/** A label defined in a repository; issues refer to it by name, case-insensitively. */
record SimulatedLabel(long id, String name, String color, String description) {}
