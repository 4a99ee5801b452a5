from django.contrib import admin

from emulation.models import AwardProposal, Cluster, ClusterYear, Criterion, Meeting, Scorecard

admin.site.register(Cluster)
admin.site.register(ClusterYear)
admin.site.register(Criterion)
admin.site.register(Scorecard)
admin.site.register(AwardProposal)
admin.site.register(Meeting)
