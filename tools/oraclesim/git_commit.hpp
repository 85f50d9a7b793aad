#pragma once
// The git commit the oraclesim binary was built from: the short hash, "-dirty" appended when tracked files had
// uncommitted changes, "" outside a git checkout. Taken at build time (cmake/git_commit.cmake), not at configure
// time, so manifests name the commit the results really came from.
const char* oraclesim_git_commit();
