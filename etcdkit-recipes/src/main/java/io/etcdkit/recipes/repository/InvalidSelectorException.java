package io.etcdkit.recipes.repository;

import io.etcdkit.InvalidArgumentException;

/**
 * A label selector could not be parsed. The message quotes the selector, gives the position (0-based character
 * offset) of the problem and says what was expected there, for example
 * {@code invalid label selector "env in prod": at position 7: expected '(' after 'in', found 'prod'}. Nothing was
 * read; fix the selector (see {@link LabelSelector} for the syntax).
 */
public class InvalidSelectorException extends InvalidArgumentException {
    /** The selector. */
    private final String selector;
    /** The position. */
    private final int position;

    /**
     * Creates the exception.
     *
     * @param selector the selector text as given
     * @param position the 0-based offset of the problem in {@code selector}
     * @param problem what was expected and what was found
     */
    public InvalidSelectorException(String selector, int position, String problem) {
        super("invalid label selector \"" + selector + "\": at position " + position + ": " + problem
                + ". The syntax is a comma-separated list of: key=value, key==value, key!=value, "
                + "key in (v1,v2), key notin (v1,v2), key, !key");
        this.selector = selector;
        this.position = position;
    }

    /**
     * The selector text as given.
     *
     * @return the selector text as given
     */
    public String selector() {
        return selector;
    }

    /**
     * The 0-based character offset of the problem in {@link #selector()}.
     *
     * @return the 0-based character offset of the problem in {@link #selector()}
     */
    public int position() {
        return position;
    }
}
