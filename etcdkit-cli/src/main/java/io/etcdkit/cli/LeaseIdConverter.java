package io.etcdkit.cli;

import picocli.CommandLine;

/**
 * Lease ids on the command line are hexadecimal, as etcd and etcdctl print them ({@code 694d77aa9e38260f}, an
 * optional {@code 0x} is accepted); this converts them and formats them back.
 */
final class LeaseIdConverter implements CommandLine.ITypeConverter<Long> {

    @Override
    public Long convert(String text) {
        String hex = text.strip();
        if (hex.startsWith("0x") || hex.startsWith("0X")) {
            hex = hex.substring(2);
        }
        try {
            long id = Long.parseUnsignedLong(hex, 16);
            if (id == 0) {
                throw new CommandLine.TypeConversionException("lease id 0 means 'no lease'; give the hex id "
                        + "'lease grant' printed");
            }
            return id;
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("expected a lease id in hex as 'lease grant' prints it "
                    + "(e.g. 694d77aa9e38260f), got '" + text + "'");
        }
    }

    /** The id in hex. */
    static String format(long id) {
        return Long.toHexString(id);
    }

    /** The id in hex, or null for 0 (no lease). */
    static String formatOrNull(long id) {
        return id == 0 ? null : format(id);
    }
}
