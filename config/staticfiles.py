"""Where `collectstatic` and the development server find static files.

Our own files (static/) and those of every installed app except viewflow's. Viewflow's frontend
is not routed (its task views leak across units, upstream #505; our pages replace them), so
none of its files is ever served; and its font stylesheet `roboto-fontface.css` names a
`Roboto-Thin.woff2` that viewflow 2.4.0 does not ship, which the manifest storage of the
production settings rightly refuses: collecting them would stop the deployment for files no
page uses.
"""

from django.apps import apps
from django.contrib.staticfiles.finders import AppDirectoriesFinder

NOT_SERVED = ("viewflow",)  # app labels' prefix: viewflow and viewflow.workflow


class ServedAppDirectoriesFinder(AppDirectoriesFinder):
    def __init__(self, app_names=None, *args, **kwargs):
        if app_names is None:
            app_names = [
                config.name
                for config in apps.get_app_configs()
                if not config.name.startswith(NOT_SERVED)
            ]
        super().__init__(app_names, *args, **kwargs)
