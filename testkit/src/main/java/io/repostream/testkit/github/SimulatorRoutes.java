package io.repostream.testkit.github;

/** Every route the simulator serves, in one place, with GitHub's path templates. */
final class SimulatorRoutes {
    private SimulatorRoutes() {}

    static RouteTable declare(
            SimulatedGitHub state, GitHubJson json, IssueChanges changes, RateLimiter limiter) {
        return declare(state, json, changes, limiter, new GitChanges(state));
    }

    static RouteTable declare(
            SimulatedGitHub state,
            GitHubJson json,
            IssueChanges changes,
            RateLimiter limiter,
            GitChanges gitChanges) {
        MetaRoutes meta = new MetaRoutes(json, limiter);
        RepoRoutes repos = new RepoRoutes(state, json);
        IssueRoutes issues = new IssueRoutes(state, json, changes);
        LabelRoutes labels = new LabelRoutes(state, json, changes);
        CommentRoutes comments = new CommentRoutes(state, json, changes);
        PullRoutes pulls = new PullRoutes(state, json, changes, gitChanges);
        GitRoutes git = new GitRoutes(state, json, gitChanges);
        CheckRoutes checks = new CheckRoutes(state, json);
        ActionsRoutes actions = new ActionsRoutes(state, json);
        AppRoutes app = new AppRoutes(state, json);
        HookRoutes hooks = new HookRoutes(state, json, new HookSender());
        CollaboratorRoutes collaborators = new CollaboratorRoutes(state, json);
        ContentRoutes contents = new ContentRoutes(state, json);
        CompareRoutes compare = new CompareRoutes(state, json, git);
        String repo = "/repos/{owner}/{repo}";
        String issue = repo + "/issues/{issue_number}";
        String comment = repo + "/issues/comments/{comment_id}";
        String pull = repo + "/pulls/{pull_number}";
        String run = repo + "/actions/runs/{run_id}";
        String repoHook = repo + "/hooks/{hook_id}/deliveries";
        String orgHook = "/orgs/{org}/hooks/{hook_id}/deliveries";
        return new RouteTable()
                .get("/", meta::root)
                .getFree("/rate_limit", meta::rateLimit)
                .get("/user", meta::user)
                .get(repo, repos::get)
                .get(repo + "/events", repos::events)
                .get(repo + "/labels", labels::listForRepo)
                .get(repo + "/collaborators/{username}/permission", collaborators::permission)
                .get(repo + "/contents/{path}", contents::get)
                .get(repo + "/compare/{basehead}", compare::compare)
                .get(comment, comments::get)
                .patch(comment, comments::update)
                .delete(comment, comments::delete)
                .get(repo + "/issues", issues::list)
                .post(repo + "/issues", issues::create)
                .get(issue, issues::get)
                .patch(issue, issues::update)
                .get(issue + "/labels", labels::list)
                .post(issue + "/labels", labels::add)
                .put(issue + "/labels", labels::set)
                .delete(issue + "/labels", labels::removeAll)
                .delete(issue + "/labels/{name}", labels::remove)
                .get(issue + "/comments", comments::list)
                .post(issue + "/comments", comments::create)
                .post(issue + "/assignees", issues::addAssignees)
                .delete(issue + "/assignees", issues::removeAssignees)
                .get(repo + "/pulls", pulls::list)
                .get(pull, pulls::get)
                .get(pull + "/merge", pulls::checkMerged)
                .put(pull + "/merge", pulls::merge)
                .get(pull + "/requested_reviewers", pulls::listReviewers)
                .post(pull + "/requested_reviewers", pulls::requestReviewers)
                .delete(pull + "/requested_reviewers", pulls::removeReviewers)
                .get(repo + "/git/matching-refs/{ref}", git::matching)
                .get(repo + "/git/ref/{ref}", git::get)
                .post(repo + "/git/refs", git::create)
                .patch(repo + "/git/refs/{ref}", git::update)
                .delete(repo + "/git/refs/{ref}", git::delete)
                .post(repo + "/merges", git::merge)
                .post(repo + "/statuses/{sha}", checks::createStatus)
                .get(repo + "/commits/{ref}/status", checks::combinedStatus)
                .post(repo + "/check-runs", checks::createCheckRun)
                .patch(repo + "/check-runs/{check_run_id}", checks::updateCheckRun)
                .get(repo + "/check-runs/{check_run_id}/annotations", checks::listAnnotations)
                .get(repo + "/commits/{ref}/check-runs", checks::listForRef)
                .get(repo + "/actions/runs", actions::list)
                .get(run, actions::get)
                .post(run + "/rerun", actions::rerun)
                .post(run + "/rerun-failed-jobs", actions::rerunFailedJobs)
                .post(run + "/cancel", actions::cancel)
                .get(run + "/jobs", actions::jobs)
                .get(repo + "/actions/jobs/{job_id}/logs", actions::jobLogs)
                .get(repoHook, hooks::listForRepo)
                .post(repoHook + "/{delivery_id}/attempts", hooks::redeliverForRepo)
                .get(orgHook, hooks::listForOrg)
                .post(orgHook + "/{delivery_id}/attempts", hooks::redeliverForOrg)
                .getAsApp("/app", app::app)
                .getAsApp("/app/hook/deliveries", hooks::listForApp)
                .getAsApp("/app/hook/deliveries/{delivery_id}", hooks::getForApp)
                .getAsApp("/app/installations", app::listInstallations)
                .getAsApp("/app/installations/{installation_id}", app::getInstallation)
                .postFree("/app-manifests/{code}/conversions", app::convertManifest)
                .getAsApp(repo + "/installation", app::repoInstallation)
                .postAsApp(
                        "/app/installations/{installation_id}/access_tokens",
                        app::createAccessToken);
    }
}
