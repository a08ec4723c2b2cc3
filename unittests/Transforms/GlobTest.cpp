//===- GlobTest.cpp - containment of AppArmor globs -----------------------===//
#include "polc/IR/Glob.h"

#include "gtest/gtest.h"

using polc::ir::globCovers;

TEST(Glob, PrefixForms) {
  EXPECT_TRUE(globCovers("/var/**", "/var/www/**"));
  EXPECT_TRUE(globCovers("/var/www/*", "/var/www/index.html"));
  EXPECT_FALSE(globCovers("/var/www/*", "/var/www/a/b"));
  EXPECT_FALSE(globCovers("/var/**", "/var/")); // ** needs one more char
  EXPECT_FALSE(globCovers("/var/www/**", "/var/**"));
}

TEST(Glob, LiteralPathsAreMatched) {
  // The glob's meaning, on a path without glob characters (pitfalls A1).
  EXPECT_TRUE(globCovers("/var/log/web/*.log", "/var/log/web/error.log"));
  EXPECT_FALSE(globCovers("/var/log/web/*.log", "/var/log/web/sub/error.log"));
  EXPECT_TRUE(globCovers("/var/log/**.log", "/var/log/web/sub/error.log"));
  EXPECT_TRUE(globCovers("/dev/pts/[0-9]*", "/dev/pts/7"));
  EXPECT_FALSE(globCovers("/dev/pts/[0-9]*", "/dev/pts/ptmx"));
  EXPECT_FALSE(globCovers("/dev/pts/[^0-9]*", "/dev/pts/7"));
  EXPECT_TRUE(globCovers("/etc/{passwd,group}", "/etc/group"));
  EXPECT_FALSE(globCovers("/etc/{passwd,group}", "/etc/shadow"));
  EXPECT_TRUE(globCovers("/srv/{a,b{c,d}}/x", "/srv/bd/x"));
  EXPECT_TRUE(globCovers("/tmp/?", "/tmp/a"));
  EXPECT_FALSE(globCovers("/tmp/?", "/tmp/ab"));
  EXPECT_FALSE(globCovers("/tmp/?", "/tmp//"));
  // Escapes on either side are literal characters.
  EXPECT_TRUE(globCovers("/srv/a\\*b", "/srv/a\\*b"));
  EXPECT_TRUE(globCovers("/srv/*", "/srv/a\\*b"));
  EXPECT_FALSE(globCovers("/srv/a\\*b", "/srv/axb"));
}
