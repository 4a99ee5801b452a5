"""Co-organisers of an event get their role (chủ trì / phối hợp): the plain many-to-many table
becomes the table of ``EventCoOrganiser`` (same rows, every existing co-organiser a partner)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("research", "0002_transition_new_end_date"), ("schools", "0002_reference_data")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="EventCoOrganiser",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("event", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                                    related_name="co_organisers", to="research.event")),
                        ("school", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                                     related_name="event_co_organisations", to="schools.school",
                                                     verbose_name="school")),
                    ],
                    options={"db_table": "research_event_co_schools", "verbose_name": "co-organising school",
                             "verbose_name_plural": "co-organising schools",
                             "unique_together": {("event", "school")}},
                ),
                migrations.AlterField(
                    model_name="event", name="co_schools",
                    field=models.ManyToManyField(blank=True, related_name="co_organised_events",
                                                 through="research.EventCoOrganiser", to="schools.school",
                                                 verbose_name="co-organising schools"),
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name="eventcoorganiser", name="role",
            field=models.CharField(choices=[("host", "host"), ("partner", "partner")], default="partner",
                                   max_length=10, verbose_name="role"),
        ),
    ]
