// The public headers compile and link as C++ (extern "C" guards), with the
// stable tier alone and, built with -DEFC_EXPERIMENTAL, with both.
#include <cstdio>
#include <efc/efc.h>

int main()
{
    efc_error *err = nullptr;
    efc_model *model = nullptr;
    if (efc_error_create(&err, nullptr) != EFC_OK)
        return 1;
    if (efc_model_default(&model, nullptr, err) != EFC_OK) {
        std::fprintf(stderr, "%s\n", efc_error_text(err));
        return 1;
    }
    std::printf("%s: %zu nodes\n", efc_model_source(model), efc_model_node_count(model));
    int ok = efc_model_node_count(model) == 37;
#ifdef EFC_EXPERIMENTAL
    efc_panel *panel = nullptr;
    ok =
        ok && efc_panel_create(&panel, model, nullptr, err) == EFC_OK && efc_panel_size(panel) == 0;
    efc_panel_free(panel);
#endif
    efc_model_free(model);
    efc_error_free(err);
    return ok ? 0 : 1;
}
