package io.etcdkit.cli;

import picocli.CommandLine;

/** The version printed by {@code etcdkit --version}. */
final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Version.class.getPackage().getImplementationVersion();
        return new String[] {"etcdkit " + (v == null ? "development build" : v)};
    }
}
