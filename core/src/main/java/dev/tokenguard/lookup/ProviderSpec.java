package dev.tokenguard.lookup;

import java.util.List;
import java.util.Map;

/**
 * One user API described as data: what the engine ({@link HttpUserLookup}) needs to fetch and map a user.
 * Presets ({@link ProviderPresets}) and the {@code generic} provider both produce one.
 *
 * @param name the preset name, reported in errors and on the profile
 * @param method {@code GET} or {@code POST}
 * @param userUrl the user request URL template ({@code {sub}} is replaced, URL-encoded)
 * @param body a JSON body template for POST ({@code {sub}} is replaced, JSON-escaped), or {@code null}
 * @param envelope how a provider that wraps answers in an envelope reports success, or {@code null}
 * @param enrichments extra calls for roles and permissions, in order
 * @param fields where each profile field is found
 * @param userTokenAuth whether the caller's own token is the credential (UserInfo): then a 401 means the
 *     token is not valid for the provider
 */
record ProviderSpec(String name, String method, String userUrl, String body, Envelope envelope,
    List<Enrichment> enrichments, FieldMapping fields, boolean userTokenAuth) {

  ProviderSpec {
    enrichments = List.copyOf(enrichments);
  }

  /**
   * A response envelope (Pangea): the member holding the status, the value meaning success and the value
   * meaning "no such user".
   */
  record Envelope(String statusPath, String success, String notFound) {}

  /**
   * An extra call whose answer adds roles or permissions, says the user is blocked, or finds ids for the next call.
   *
   * @param target {@code roles} or {@code permissions} (items are added to them), {@link #BLOCKED} (items is a
   *     condition: true blocks the user) or {@link #IDS} (nothing is added: the next enrichment's {@code forEach}
   *     reads this answer)
   * @param url URL template; {@code {sub}} and, with {@code forEach}, {@code {item}} are replaced
   * @param items expression selecting the strings to add
   * @param forEach when not null: an expression over the previous enrichment's answer giving the ids to call
   *     {@code url} for, one call each (Logto: permissions per role)
   * @param paging how the answer is paged, or {@code null} when it comes whole
   */
  record Enrichment(String target, String url, String items, String forEach, Paging paging) {
    /** The target of a call whose answer says whether the user is blocked. */
    static final String BLOCKED = "blocked";
    /** The target of a call that only finds ids for the next one. */
    static final String IDS = "ids";

    Enrichment(String target, String url, String items, String forEach) {
      this(target, url, items, forEach, null);
    }
  }

  /**
   * How a provider pages a list: every page is asked for until the total is reached or a page comes back short, at
   * most {@link #MAX_PAGES} pages.
   *
   * @param pageParam the query parameter of the page number
   * @param firstPage the number of the first page (Auth0 0, Logto 1)
   * @param sizeParam the query parameter of the page size
   * @param size the page size asked for (the provider's maximum)
   * @param fixed further query parameters ({@code include_totals=true})
   * @param entries where the page's entries are: {@code ""} for a bare array, else the member holding them
   * @param totalPath the body member with the total number of entries, or {@code null}
   * @param totalHeader the response header with it, or {@code null}
   */
  record Paging(String pageParam, int firstPage, String sizeParam, int size, Map<String, String> fixed, String entries,
      String totalPath, String totalHeader) {
    /** The most pages read for one list: beyond, the rest is left out with a warning. */
    static final int MAX_PAGES = 10;

    Paging {
      fixed = Map.copyOf(fixed);
    }
  }
}
