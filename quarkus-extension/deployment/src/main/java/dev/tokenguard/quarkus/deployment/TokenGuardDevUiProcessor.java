package dev.tokenguard.quarkus.deployment;

import dev.tokenguard.quarkus.devui.TokenGuardJsonRpcService;
import io.quarkus.deployment.IsDevelopment;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.devui.spi.JsonRPCProvidersBuildItem;
import io.quarkus.devui.spi.page.CardPageBuildItem;
import io.quarkus.devui.spi.page.Page;

/**
 * TokenGuard's Dev UI card (dev mode only): one page with the effective configuration (secrets masked), the keys and
 * user API health, a token explainer and, with Dev Services, a form minting dev tokens; backed by
 * {@link TokenGuardJsonRpcService}.
 */
class TokenGuardDevUiProcessor {

  @BuildStep(onlyIf = {IsDevelopment.class, TokenGuardProcessor.Enabled.class})
  CardPageBuildItem card() {
    CardPageBuildItem card = new CardPageBuildItem();
    card.addPage(Page.webComponentPageBuilder()
        .title("TokenGuard")
        .icon("font-awesome-solid:shield-halved")
        .componentLink("qwc-tokenguard.js"));
    return card;
  }

  @BuildStep(onlyIf = {IsDevelopment.class, TokenGuardProcessor.Enabled.class})
  JsonRPCProvidersBuildItem jsonRpc() {
    return new JsonRPCProvidersBuildItem(TokenGuardJsonRpcService.class);
  }
}
