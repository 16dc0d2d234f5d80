/**
 * GitHub App authentication, shared by the ingest bridge and the action executor: the app's private
 * key ({@link io.repostream.githubapp.AppPrivateKey}), the JWT it signs ({@link
 * io.repostream.githubapp.AppJwt}) and the installation tokens the JWT buys ({@link
 * io.repostream.githubapp.InstallationTokens}). A library, not a service: no thread, no logging,
 * and no secret in any message or {@code toString}.
 */
package io.repostream.githubapp;
